// Parses request input with a zod schema; a failure is an InvalidInput naming the parameter.
import type { z } from 'zod';
import { InvalidInput } from '../src/domain';

export function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const parameter = issue?.path.length ? String(issue.path[0]) : where;
  if (issue?.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    throw new InvalidInput(`${where}: unknown parameter ${keys.join(', ')}`, { parameter: keys[0] });
  }
  throw new InvalidInput(`${where}: ${parameter}: ${issue?.message ?? 'invalid'}`, { parameter });
}
