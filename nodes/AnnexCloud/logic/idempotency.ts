/**
 * Keys that make a points write happen once. Annex Cloud's `POST /points` takes `customId`, a
 * unique id per action that it refuses to book twice, and `retry: "NO"`, which refuses an
 * `orderId` already booked (docs/security.md). The key comes from the write's source (an order
 * id, an event id, member + date + step), so a re-run, a replay or a simultaneous duplicate of
 * the same source carries the same key.
 */

export type PointsWriteKind = 'award' | 'deduct' | 'redeem';

/** Annex Cloud publishes no length limit for `customId`; long keys are kept readable but bounded. */
export const MAX_KEY_LENGTH = 100;

/**
 * The `customId` of a write: the key given, else one derived from the member and the order id;
 * undefined when there is neither (the caller refuses such a write).
 */
export function transactionKey(
	kind: PointsWriteKind,
	memberId: string,
	explicitKey: string,
	orderId: string,
): string | undefined {
	const key = explicitKey.trim();
	if (key !== '') return key.slice(0, MAX_KEY_LENGTH);
	const order = orderId.trim();
	if (order === '') return undefined;
	return `${kind}:${memberId}:${order}`.slice(0, MAX_KEY_LENGTH);
}

/** Error codes of a write Annex Cloud refused as already booked (the sandbox's modelled answer). */
const DUPLICATE_CODES = ['DUPLICATE_CUSTOM_ID', 'DUPLICATE_ORDER_ID'];

/** Whether a failed write's status and message say "already booked", not "failed". */
export function isDuplicateRefusal(httpCode: string | undefined, message: string): boolean {
	return httpCode === '409' && DUPLICATE_CODES.some((code) => message.includes(code));
}
