/**
 * A seeded generator for tests that hold a shortcut to its slow path over many generated inputs:
 * the same inputs on every run, so a failure names its seed and repeats. A 32-bit linear
 * congruential generator whose high bits are used; it is for test data only, never for secrets.
 */
export function seededRandom(seed: number): {
  /** A number in [0, 1). */
  fraction: () => number;
  /** An integer in [0, count). */
  below: (count: number) => number;
} {
  let state = seed >>> 0;
  const fraction = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  return { fraction, below: (count) => Math.floor(fraction() * count) };
}
