/**
 * Is the treated group's conversion really above the holdout's? A two-proportion z-test with a
 * pooled rate: the usual test for "did the campaign move the rate", valid when each group has a
 * handful of converters and non-converters (below that the p-value is left empty).
 */

export interface ProportionTest {
	/** Treated rate minus holdout rate. */
	difference: number | null;
	z: number | null;
	/** Two-sided p-value; null when the groups are too small for the normal approximation. */
	pValue: number | null;
}

/** Below this many converters or non-converters in a group the normal approximation fails. */
const MIN_CELL = 5;

/** Standard normal cumulative distribution (Abramowitz and Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(x: number): number {
	const t = 1 / (1 + 0.2316419 * Math.abs(x));
	const density = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
	const tail =
		density *
		t *
		(0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
	return x >= 0 ? 1 - tail : tail;
}

export function twoProportionTest(
	convertedA: number,
	membersA: number,
	convertedB: number,
	membersB: number,
): ProportionTest {
	if (membersA === 0 || membersB === 0) return { difference: null, z: null, pValue: null };
	const difference = convertedA / membersA - convertedB / membersB;
	const cells = [convertedA, membersA - convertedA, convertedB, membersB - convertedB];
	const pooled = (convertedA + convertedB) / (membersA + membersB);
	const spread = Math.sqrt(pooled * (1 - pooled) * (1 / membersA + 1 / membersB));
	if (cells.some((cell) => cell < MIN_CELL) || spread === 0) {
		return { difference, z: null, pValue: null };
	}
	const z = difference / spread;
	return { difference, z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
