// Help texts. Kept beside the option table's long names so `--help` and the parser agree.
import { PASSWORD_ENV } from './credentials.js';
import type { Command } from './commands/index.js';

const TARGETS = [
  'Targets:',
  '  //HOST[:PORT]/SHARE/PATH           taken literally (quote names with spaces)',
  '  \\\\HOST\\SHARE\\PATH                 Windows form',
  '  smb://[DOMAIN;]USER@HOST[:PORT]/SHARE/PATH   percent-encoded URL',
  '  IPv6 addresses go in brackets: //[fe80::1]/share',
];

const CONNECTION_OPTIONS = [
  'Connection options (every command):',
  '  -U, --user USER          USER, DOMAIN\\USER or USER@DOMAIN (or put the user in an smb:// URL)',
  '  -N, --no-pass            log in without a password (as a guest; a null session where guests are refused)',
  `      --password-stdin     read the password from the first line of standard input`,
  `                           (else ${PASSWORD_ENV} is used, else you are prompted on a terminal;`,
  '                           a password is never taken from the command line)',
  '  -m, --max-protocol NAME  newest dialect to offer: SMB2_02, SMB2_10, SMB3_00, SMB3_02, SMB3_11',
  '      --min-protocol NAME  oldest dialect to accept; NT1 allows SMB1 (CIFS: no encryption, weak signing)',
  '      --allow-legacy-auth  let an old server check NTLMv1 or LM answers when it refuses NTLMv2;',
  '                           a password sent this way can be recovered from a capture of the traffic',
  '      --sign               require a signed session',
  '      --encrypt            require an encrypted session (SMB 3); never falls back to plaintext',
  '  -p, --port PORT          TCP port (default 445)',
  '  -t, --timeout SECONDS    deadline for connecting and for each request',
  '  -d, --debug LEVEL        0-10: log to stderr; 3+ logs every request and response',
  '  -h, --help               this help; `sharekeeper COMMAND --help` for one command',
];

const EXIT_CODES = [
  'Exit codes: 0 ok, 1 the server refused (message names the NT_STATUS), 2 usage,',
  '            3 cannot reach the server, 4 authentication failed, 5 a security requirement cannot be met.',
];

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length)) + 2;
  return [
    'Usage: sharekeeper COMMAND [OPTIONS] ARGS',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}${c.summary}`),
    '',
    ...TARGETS,
    '',
    ...CONNECTION_OPTIONS,
    '',
    ...EXIT_CODES,
    '',
  ].join('\n');
}

const OPTION_HELP: Record<string, string> = {
  json: '      --json               machine-readable output',
  force: '  -f, --force              replace an existing destination',
  'no-progress': '      --no-progress        no progress bar even on a terminal',
  alt: '      --alt HOST[:PORT]    another way to reach the same share (repeatable)',
  'save-password': '      --save-password      save the password in the OS keychain (never in a file)',
  all: '      --all                every mapped drive',
  'on-conflict': '      --on-conflict WHAT   ask, skip, overwrite or keep-both when a name exists',
};

export function commandHelp(c: Command): string {
  const own = c.options.map((o) => OPTION_HELP[o]).filter((l): l is string => l !== undefined);
  return [
    `Usage: sharekeeper ${c.usage}`,
    '',
    `${c.summary[0]?.toUpperCase() ?? ''}${c.summary.slice(1)}.`,
    ...c.details,
    ...(own.length ? ['', 'Options:', ...own] : []),
    '',
    ...CONNECTION_OPTIONS,
    '',
    ...EXIT_CODES,
    '',
  ].join('\n');
}
