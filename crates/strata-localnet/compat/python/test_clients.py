"""Python `solana` 0.41 and `solders`, unchanged, against the real local cluster.

solders parses every answer into Solana's own types and raises on a shape it does not
know, so each call below also checks the response's shape, not only its values.
Run by ../run.sh (`python -m unittest` in the virtual environment it creates).
"""

import asyncio
import unittest

from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solana.rpc.models import MemcmpOpts, TokenAccountOpts, TxOpts
from solana.rpc.websocket_api import SolanaWsClient
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.rpc.config import RpcTransactionLogsFilterMentions
from solders.rpc.errors import SendTransactionPreflightFailureMessage
from solders.rpc.responses import (
    AccountNotification,
    LogsNotification,
    ProgramNotification,
    ProgramNotificationJsonParsed,
    RootNotification,
    SignatureNotification,
    SlotNotification,
)
from solders.system_program import CreateAccountParams, TransferParams, create_account, transfer
from solders.transaction import Transaction
from solders.transaction_status import ParsedInstruction
from spl.token.constants import MINT_LEN, TOKEN_PROGRAM_ID
from spl.token.models import InitializeMintParams, MintToParams
from spl.token.instructions import (
    create_associated_token_account,
    get_associated_token_address,
    initialize_mint,
    mint_to,
)

from cluster import Cluster

SOL = 1_000_000_000
CONFIRM = TxOpts(skip_confirmation=False, preflight_commitment="confirmed")
cluster: Cluster


def setUpModule() -> None:
    global cluster
    cluster = Cluster()


def tearDownModule() -> None:
    cluster.stop()


class Clients(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        # unittest runs the loop in debug mode, which prints every callback over 0.1 s.
        asyncio.get_running_loop().set_debug(False)
        self.client = AsyncClient(cluster.url, commitment="confirmed")
        self.payer = await self.wallet(100)

    async def asyncTearDown(self) -> None:
        await self.client.close()

    async def wallet(self, sol: int) -> Keypair:
        wallet = Keypair()
        signature = (await self.client.request_airdrop(wallet.pubkey(), sol * SOL)).value
        await self.client.confirm_transaction(signature)
        return wallet

    async def send(self, instructions: list, signers: list[Keypair]):
        """Signs with the latest blockhash, sends, waits for confirmation."""
        blockhash = (await self.client.get_latest_blockhash()).value.blockhash
        message = Message.new_with_blockhash(instructions, signers[0].pubkey(), blockhash)
        return (await self.client.send_transaction(Transaction(signers, message, blockhash), CONFIRM)).value

    async def test_transfers_parsed_transactions_signatures_and_blocks(self) -> None:
        recipient = Keypair().pubkey()
        signatures = []
        for lamports in (1 * SOL, 2 * SOL, 3 * SOL):
            pay = transfer(TransferParams(from_pubkey=self.payer.pubkey(), to_pubkey=recipient, lamports=lamports))
            signatures.append(await self.send([pay], [self.payer]))
        self.assertEqual((await self.client.get_balance(recipient)).value, 6 * SOL)

        parsed = (await self.client.get_transaction(signatures[0], "jsonParsed", max_supported_transaction_version=0)).value
        self.assertIsNotNone(parsed)
        message = parsed.transaction.transaction.message
        self.assertEqual(message.account_keys[0].pubkey, self.payer.pubkey())
        self.assertTrue(message.account_keys[0].signer and message.account_keys[0].writable)
        instruction = message.instructions[0]
        self.assertIsInstance(instruction, ParsedInstruction)
        self.assertEqual(instruction.program, "system")
        self.assertEqual(instruction.parsed["type"], "transfer")
        self.assertEqual(instruction.parsed["info"]["lamports"], SOL)
        self.assertIsNone(parsed.transaction.meta.err)

        history = (await self.client.get_signatures_for_address(recipient)).value
        self.assertEqual([entry.signature for entry in history], signatures[::-1])
        older = (await self.client.get_signatures_for_address(recipient, before=signatures[2], limit=1)).value
        self.assertEqual([entry.signature for entry in older], [signatures[1]])

        slot = parsed.slot
        block = (await self.client.get_block(slot, max_supported_transaction_version=0)).value
        self.assertIn(signatures[0], [tx.transaction.signatures[0] for tx in block.transactions])
        self.assertEqual((await self.client.get_block_time(slot)).value, block.block_time)
        self.assertEqual((await self.client.get_blocks(slot - 1, slot + 1)).value, [slot - 1, slot, slot + 1])

    async def test_token_queries(self) -> None:
        mint, owner = Keypair(), Keypair().pubkey()
        rent = (await self.client.get_minimum_balance_for_rent_exemption(MINT_LEN)).value
        await self.send(
            [
                create_account(
                    CreateAccountParams(
                        from_pubkey=self.payer.pubkey(),
                        to_pubkey=mint.pubkey(),
                        lamports=rent,
                        space=MINT_LEN,
                        owner=TOKEN_PROGRAM_ID,
                    )
                ),
                initialize_mint(
                    InitializeMintParams(
                        decimals=6, program_id=TOKEN_PROGRAM_ID, mint=mint.pubkey(), mint_authority=self.payer.pubkey()
                    )
                ),
                create_associated_token_account(self.payer.pubkey(), owner, mint.pubkey()),
            ],
            [self.payer, mint],
        )
        holder = get_associated_token_address(owner, mint.pubkey())
        await self.send(
            [
                mint_to(
                    MintToParams(
                        program_id=TOKEN_PROGRAM_ID,
                        mint=mint.pubkey(),
                        dest=holder,
                        mint_authority=self.payer.pubkey(),
                        amount=2_500_000,
                    )
                )
            ],
            [self.payer],
        )

        owned = (await self.client.get_token_accounts_by_owner_json_parsed(owner, TokenAccountOpts(mint=mint.pubkey()))).value
        self.assertEqual([account.pubkey for account in owned], [holder])
        info = owned[0].account.data.parsed["info"]
        self.assertEqual(info["tokenAmount"]["amount"], "2500000")
        self.assertEqual(info["tokenAmount"]["uiAmountString"], "2.5")
        raw = (await self.client.get_token_accounts_by_owner(owner, TokenAccountOpts(program_id=TOKEN_PROGRAM_ID))).value
        self.assertEqual(len(raw[0].account.data), 165)
        balance = (await self.client.get_token_account_balance(holder)).value
        self.assertEqual((balance.amount, balance.decimals, balance.ui_amount), ("2500000", 6, 2.5))
        self.assertEqual((await self.client.get_token_supply(mint.pubkey())).value.amount, "2500000")
        largest = (await self.client.get_token_largest_accounts(mint.pubkey())).value
        self.assertEqual([account.address for account in largest], [holder])
        accounts = (
            await self.client.get_program_accounts(
                TOKEN_PROGRAM_ID, encoding="base64", filters=[165, MemcmpOpts(offset=0, bytes=str(mint.pubkey()))]
            )
        ).value
        self.assertEqual([account.pubkey for account in accounts], [holder])

    async def test_subscriptions_fire_on_account_program_log_signature_slot_and_root(self) -> None:
        recipient = Keypair().pubkey()
        async with SolanaWsClient(cluster.ws_url) as ws:
            subscriptions = {
                AccountNotification: await ws.account_subscribe(pubkey=recipient, commitment="confirmed"),
                LogsNotification: await ws.logs_subscribe(
                    filter_=RpcTransactionLogsFilterMentions(recipient), commitment="confirmed"
                ),
                SlotNotification: await ws.slot_subscribe(),
                RootNotification: await ws.root_subscribe(),
            }
            pay = transfer(TransferParams(from_pubkey=self.payer.pubkey(), to_pubkey=recipient, lamports=SOL))
            blockhash = (await self.client.get_latest_blockhash()).value.blockhash
            tx = Transaction([self.payer], Message.new_with_blockhash([pay], self.payer.pubkey(), blockhash), blockhash)
            signature = (await self.client.send_transaction(tx)).value
            subscriptions[SignatureNotification] = await ws.signature_subscribe(signature=signature, commitment="confirmed")

            heard: dict[type, list] = {kind: [] for kind in subscriptions}
            wanted = {AccountNotification, LogsNotification, SignatureNotification, SlotNotification, RootNotification}

            async def listen() -> None:
                while not all(heard[kind] for kind in wanted):
                    notification = await ws.recv()
                    heard[type(notification)].append(notification)

            await asyncio.wait_for(listen(), timeout=15)
            self.assertEqual(heard[AccountNotification][0].result.value.lamports, SOL)
            self.assertEqual(heard[LogsNotification][0].result.value.signature, signature)
            self.assertIsNone(heard[SignatureNotification][0].result.value.err)
            self.assertGreater(heard[SlotNotification][0].result.slot, 0)
            for kind, subscription in subscriptions.items():
                # A signature subscription ends with its notification, as on a validator.
                if kind is not SignatureNotification:
                    await ws.unsubscribe(subscription)

    async def test_program_subscription_with_filters_hears_a_new_token_account(self) -> None:
        mint = Keypair()
        rent = (await self.client.get_minimum_balance_for_rent_exemption(MINT_LEN)).value
        await self.send(
            [
                create_account(
                    CreateAccountParams(
                        from_pubkey=self.payer.pubkey(),
                        to_pubkey=mint.pubkey(),
                        lamports=rent,
                        space=MINT_LEN,
                        owner=TOKEN_PROGRAM_ID,
                    )
                ),
                initialize_mint(
                    InitializeMintParams(
                        decimals=0, program_id=TOKEN_PROGRAM_ID, mint=mint.pubkey(), mint_authority=self.payer.pubkey()
                    )
                ),
            ],
            [self.payer, mint],
        )
        owner = Keypair().pubkey()
        holder = get_associated_token_address(owner, mint.pubkey())
        async with SolanaWsClient(cluster.ws_url) as ws:
            def token_accounts_of(mint: Pubkey):
                return ws.program_subscribe(
                    program_id=TOKEN_PROGRAM_ID,
                    commitment="confirmed",
                    encoding="jsonParsed",
                    filters=[165, MemcmpOpts(offset=0, bytes=str(mint))],
                )

            mine = await token_accounts_of(mint.pubkey())
            other = await token_accounts_of(Keypair().pubkey())
            await self.send([create_associated_token_account(self.payer.pubkey(), owner, mint.pubkey())], [self.payer])
            notification = await asyncio.wait_for(ws.recv(), timeout=10)
            self.assertIsInstance(notification, ProgramNotificationJsonParsed)
            self.assertEqual(notification.subscription, mine.subscription_id)
            self.assertEqual(notification.result.value.pubkey, holder)
            self.assertEqual(notification.result.value.account.data.parsed["info"]["mint"], str(mint.pubkey()))
            # The other mint's filter stays silent (a slot closes in 400 ms).
            with self.assertRaises(asyncio.TimeoutError):
                while True:
                    late = await asyncio.wait_for(ws.recv(), timeout=1.5)
                    self.assertNotEqual(late.subscription, other.subscription_id)

    async def test_a_preflight_failure_is_an_rpc_error_with_its_simulation(self) -> None:
        too_much = transfer(TransferParams(from_pubkey=self.payer.pubkey(), to_pubkey=Keypair().pubkey(), lamports=10_000 * SOL))
        with self.assertRaises(RPCException) as caught:
            await self.send([too_much], [self.payer])
        failure = caught.exception.args[0]
        self.assertIsInstance(failure, SendTransactionPreflightFailureMessage)
        self.assertIsNotNone(failure.data.err)
        self.assertTrue(any("insufficient lamports" in line for line in failure.data.logs))


if __name__ == "__main__":
    unittest.main()
