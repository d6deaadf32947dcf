import * as tf from '@tensorflow/tfjs-core';
import { runCli } from '../../projects/npstreams-rx/node/src/public-api';

/** runCli in this process, its output captured (stderr is not a TTY: plain progress lines); the
 * command leaves no tensor behind. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const before = tf.memory().numTensors;
  const code = await runCli(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  expect(tf.memory().numTensors).withContext('tensors left by the command').toBe(before);
  return { code, stdout, stderr };
}
