// What the fleet commands take from the command line: shared by their yargs wiring (src/cli/,
// in the CLI bundle) and their bodies (fleet-cli.ts, loaded only when they run).
export interface ShipArgs {
  'run-dir': string;
  config: string | undefined;
  timeout: number | undefined;
}

export interface ArchiveArgs {
  servers: string;
  into: string;
  stream: string;
  'subject-prefix': string;
  durable: string;
  once: boolean;
  check: boolean;
  credentials: string | undefined;
  user: string | undefined;
  'tls-ca': string | undefined;
}

// The password of --user comes from the environment, never the command line (ps shows that).
export const PASSWORD_VARIABLE = 'VMTEL_NATS_PASSWORD';
