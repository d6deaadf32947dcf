import type { Subscriber } from 'rxjs';

/**
 * Runs `release` when the subscriber downstream of an operator is done with its values.
 *
 * A `scanX` emission stays valid until the operator's next emission or its teardown. When the
 * source completes, rxjs tears an operator down at once, yet operators such as `auditTime`
 * or `throttleTime({ trailing: true })` hand the last value on later. So the final emission
 * is released when the next subscriber down the chain closes (completes, errors or is
 * unsubscribed), and right away when that has already happened or there is none.
 * rxjs 7 keeps that next subscriber in the (protected) `destination` field.
 */
export function releaseWhenDownstreamCloses(subscriber: Subscriber<unknown>, release: () => void): void {
  const destination = (subscriber as unknown as { destination?: { closed?: boolean; add?: (f: () => void) => void } }).destination;
  if (destination && typeof destination.add === 'function' && destination.closed === false) destination.add(release);
  else release();
}
