import type { Subscriber } from 'rxjs';

type Link = { closed?: boolean; add?: (f: () => void) => void; destination?: Link };

/**
 * Runs `release` when the subscribers downstream of an operator are done with its values.
 *
 * A `scanX` emission stays valid until the operator's next emission or its teardown. When the
 * source completes, rxjs tears an operator down at once, yet operators such as `auditTime`,
 * `throttleTime({ trailing: true })` or `delay` hand the last value on later, possibly behind
 * synchronous operators such as `map`. So the final emission is released when the first
 * subscriber down the chain that is still open closes (completes, errors or is unsubscribed),
 * and right away when every one has closed already (the usual case, and always on error or
 * unsubscribe). rxjs 7 keeps the chain in each Subscriber's (protected) `destination` field.
 */
export function releaseWhenDownstreamCloses(subscriber: Subscriber<unknown>, release: () => void): void {
  let next = (subscriber as unknown as Link).destination;
  while (next && next.closed === true) next = next.destination;
  if (next && next.closed === false && typeof next.add === 'function') next.add(release);
  else release();
}
