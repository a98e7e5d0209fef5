// The entry of the sim/ commands.

/** Runs an async `main`, exiting 0 when it resolves and 1 (with the error) when not. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
