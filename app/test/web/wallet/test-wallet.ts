/**
 * A Wallet Standard wallet for browser tests, as dApp end-to-end tests use instead of
 * a browser extension: it registers itself in the page (`registerWallet`), connects
 * without asking, and signs with a test keypair (`solana:signTransaction`; also
 * `solana:signAndSendTransaction`, sending through the RPC URL it is given). The test
 * injects it, bundled, before the page loads, with its settings in
 * `window.__strataTestWallet`; what it signed is counted there.
 */
import {
  createKeyPairSignerFromPrivateKeyBytes,
  createSolanaRpc,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
  type KeyPairSigner,
} from '@solana/kit';
import type {
  SolanaSignAndSendTransactionFeature,
  SolanaSignAndSendTransactionInput,
  SolanaSignTransactionFeature,
  SolanaSignTransactionInput,
} from '@solana/wallet-standard-features';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import type { StandardConnectFeature, StandardDisconnectFeature, StandardEventsFeature, StandardEventsListeners } from '@wallet-standard/features';
import { registerWallet } from '@wallet-standard/wallet';

type Settings = { secretKey: number[]; rpcUrl: string; name: string; signed: number; refuse?: boolean };

declare global {
  interface Window {
    __strataTestWallet: Settings;
  }
}

const CHAINS = ['solana:mainnet', 'solana:devnet', 'solana:testnet', 'solana:localnet'] as const;
const ICON = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxNiAxNiI+PGNpcmNsZSBjeD0iOCIgY3k9IjgiIHI9IjgiIGZpbGw9IiMxZDdhNGEiLz48L3N2Zz4=' as const;

class TestWallet implements Wallet {
  readonly version = '1.0.0' as const;
  readonly icon = ICON;
  readonly chains = CHAINS;
  readonly name: string;
  accounts: WalletAccount[] = [];
  private readonly listeners: { [E in keyof StandardEventsListeners]?: StandardEventsListeners[E][] } = {};

  constructor(
    private readonly signer: KeyPairSigner,
    private readonly settings: Settings,
  ) {
    this.name = settings.name;
  }

  private get account(): WalletAccount {
    return {
      address: this.signer.address,
      publicKey: Uint8Array.from(getAddressEncoder().encode(this.signer.address)),
      chains: CHAINS,
      features: ['solana:signTransaction', 'solana:signAndSendTransaction'],
    };
  }

  private emit(accounts: WalletAccount[]) {
    this.accounts = accounts;
    for (const listener of this.listeners.change ?? []) listener({ accounts });
  }

  private async sign(bytes: Uint8Array): Promise<Uint8Array> {
    if (this.settings.refuse) throw new Error('the user refused to sign');
    const transaction = getTransactionDecoder().decode(bytes);
    const signed = await partiallySignTransaction([this.signer.keyPair], transaction);
    this.settings.signed += 1;
    return Uint8Array.from(getTransactionEncoder().encode(signed));
  }

  get features(): StandardConnectFeature & StandardDisconnectFeature & StandardEventsFeature & SolanaSignTransactionFeature & SolanaSignAndSendTransactionFeature {
    return {
      'standard:connect': {
        version: '1.0.0',
        connect: async () => {
          this.emit([this.account]);
          return { accounts: this.accounts };
        },
      },
      'standard:disconnect': { version: '1.0.0', disconnect: async () => this.emit([]) },
      'standard:events': {
        version: '1.0.0',
        on: (event, listener) => {
          (this.listeners[event] ??= []).push(listener);
          return () => {
            this.listeners[event] = this.listeners[event]?.filter((l) => l !== listener);
          };
        },
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signTransaction: async (...inputs: readonly SolanaSignTransactionInput[]) =>
          Promise.all(inputs.map(async (input) => ({ signedTransaction: await this.sign(input.transaction) }))),
      },
      'solana:signAndSendTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signAndSendTransaction: async (...inputs: readonly SolanaSignAndSendTransactionInput[]) =>
          Promise.all(
            inputs.map(async (input) => {
              const signed = await this.sign(input.transaction);
              const transaction = getTransactionDecoder().decode(signed);
              await createSolanaRpc(this.settings.rpcUrl).sendTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64' }).send();
              return { signature: Uint8Array.from(Object.values(transaction.signatures)[0]!) };
            }),
          ),
      },
    };
  }
}

const settings = window.__strataTestWallet;
void createKeyPairSignerFromPrivateKeyBytes(Uint8Array.from(settings.secretKey)).then((signer) => registerWallet(new TestWallet(signer, settings)));
