// metadata.type → task factory. An unknown type is a 400 (Flagger panics instead).
import { HttpError } from '../errors.js';
import { bashTask } from './bash.js';
import { cmdTask } from './cmd.js';
import { concordTask } from './concord.js';
import { helmTask, helmv3Task, kubectlTask } from './helm.js';
import { ngrinderTask } from './ngrinder.js';
import type { Task, TaskEnv, TaskFactory, TaskRequest } from './task.js';

const FACTORIES: ReadonlyMap<string, TaskFactory> = new Map([
  ['cmd', cmdTask],
  ['bash', bashTask],
  ['helm', helmTask],
  ['helmv3', helmv3Task],
  ['kubectl', kubectlTask],
  ['concord', concordTask],
  ['ngrinder', ngrinderTask],
]);

export const TASK_TYPES: readonly string[] = [...FACTORIES.keys()];
export const DEFAULT_TASK_TYPE = 'cmd';

/** Builds the task for a payload's metadata; `type` defaults to cmd only when absent. */
export function createTask(req: TaskRequest, env: TaskEnv): Task {
  const type = req.metadata['type'] ?? DEFAULT_TASK_TYPE;
  const factory = FACTORIES.get(type);
  if (factory === undefined) throw new HttpError(400, `unknown task type ${type}`);
  return factory(req, env);
}
