// yargs words its complaints for itself, some over several lines; a user of vmtel gets every
// argument error in vmtel's one-line form, with the option or command they probably meant.
import { didYouMean } from '../config/did-you-mean';
import { VmtelError } from '../errors';

/** What the command line could have said: the current command's options and every command. */
export interface UsageContext {
  /** The words as typed, to tell an unknown `--option` from an unknown command word. */
  argv: readonly string[];
  optionNames: readonly string[];
  commandNames: readonly string[];
}

/** yargs' message `message` as one VMTEL_USAGE line. */
export function usageError(message: string, context: UsageContext): VmtelError {
  return new VmtelError('VMTEL_USAGE', oneLine(message, context));
}

function oneLine(message: string, context: UsageContext): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown !== null) {
    const words = unknown[1]!.split(', ');
    // A wrong command word makes the rest meaningless: name only the command.
    const command = words.find((word) => word === context.argv[0]);
    return (command === undefined ? words : [command]).map((word) => unknownWord(word, context)).join('; ');
  }
  const choice = /^Invalid values:\s+Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(message);
  if (choice !== null) {
    const choices = [...choice[3]!.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
    const given = choice[2]!.replace(/^"(.*)"$/, '$1');
    return `--${choice[1]}: expected one of ${choices.join(', ')}, got "${given}"${didYouMean(given, choices)}`;
  }
  const noValue = /^Not enough arguments following: (\S+)$/.exec(message);
  if (noValue !== null) return `${dashes(noValue[1]!)}: expected a value after it, got none`;
  const missing = /^Missing required arguments?: (.*)$/s.exec(message);
  if (missing !== null) return `missing required option ${missing[1]!.split(', ').map(dashes).join(', ')}`;
  return message.replace(/\s*\n\s*/g, '; ');
}

function unknownWord(word: string, context: UsageContext): string {
  const asOption = context.argv.some((arg) => arg === dashes(word) || arg.startsWith(`${dashes(word)}=`));
  if (asOption) {
    const options = context.optionNames.filter((name) => name.length > 1);
    const hint = didYouMean(word, options);
    return `unknown option ${dashes(word)}${hint === '' ? '' : hint.replace(/"(.*)"/, '--$1')}`;
  }
  const hint = didYouMean(word, context.commandNames);
  return `unknown command or argument "${word}"${hint === '' ? `; commands are ${context.commandNames.join(', ')}` : hint}`;
}

function dashes(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
