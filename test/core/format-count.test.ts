import { describe, expect, it } from "vitest";
import { formatCount } from "../../src/core/format-count.js";
import { seededRandom } from "../helpers/seeded-random.js";

describe("formatCount", () => {
  it("writes every number as toLocaleString('en-US') does", () => {
    const numbers = [0, -0, 1, -1, 9, 10, 99, 100, 999, 1_000, -1_000, 9_999, 12_345, 100_000, 999_999, 1_000_000, 5_000, 32_768];
    numbers.push(
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      1e21,
      1.5,
      -2.25,
      1234.5678,
      NaN,
      Infinity,
      -Infinity,
    );
    const random = seededRandom(7);
    for (let i = 0; i < 5_000; i++) {
      const digits = 1 + random.below(16);
      const value = Math.floor(random.fraction() * 10 ** digits);
      numbers.push(i % 2 === 0 ? value : -value);
    }
    for (const value of numbers) expect(formatCount(value), String(value)).toBe(value.toLocaleString("en-US"));
  });
});
