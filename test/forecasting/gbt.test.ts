import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGbt, encodeGbt, type FeatureMatrix, predictGbt, trainGbt } from '../../lib/forecasting/gbt.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** Rows given as arrays, stored feature after feature. */
function matrix(rows: number[][]): FeatureMatrix {
  const features = rows[0]!.length;
  const values = new Float64Array(rows.length * features);
  rows.forEach((row, r) => {
    row.forEach((v, f) => {
      values[f * rows.length + r] = v;
    });
  });
  return { rows: rows.length, features, values };
}
const ones = (n: number) => new Float64Array(n).fill(1);

/** Friedman #1 (y = 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5 + noise) from a fixed generator. */
function friedman(n: number, next: () => number) {
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = [next(), next(), next(), next(), next()];
    rows.push(r);
    y.push(
      10 * Math.sin(Math.PI * r[0]! * r[1]!) + 20 * (r[2]! - 0.5) ** 2 + 10 * r[3]! + 5 * r[4]! + (next() - 0.5) * 2,
    );
  }
  return { rows, y };
}

describe('gradient-boosted trees', () => {
  it('with one tree, two leaves and full learning rate, predicts each side’s mean', () => {
    const x = matrix([[1], [2], [3], [4], [5], [6]]);
    const model = trainGbt(x, Float64Array.from([1, 2, 3, 9, 10, 11]), ones(6), {
      iterations: 1,
      learningRate: 1,
      maxLeaves: 2,
      minLeafRows: 1,
    });
    expect(predictGbt(model, [2])).toBeCloseTo(2, 6);
    expect(predictGbt(model, [5.5])).toBeCloseTo(10, 6);
    expect(model.roots).toHaveLength(1);
  });

  it('weighs rows: a heavy row pulls its leaf’s mean', () => {
    const x = matrix([[1], [1], [2], [2]]);
    const model = trainGbt(x, Float64Array.from([0, 10, 5, 5]), Float64Array.from([3, 1, 1, 1]), {
      iterations: 1,
      learningRate: 1,
      maxLeaves: 2,
      minLeafRows: 1,
    });
    expect(predictGbt(model, [1])).toBeCloseTo(2.5, 6); // (3·0 + 1·10) / 4
  });

  it('with the absolute loss, predicts each side’s median, not pulled by an outlier', () => {
    const x = matrix([[1], [2], [3], [4], [5], [6]]);
    const model = trainGbt(x, Float64Array.from([1, 2, 300, 9, 10, 11]), ones(6), {
      iterations: 1,
      learningRate: 1,
      maxLeaves: 2,
      minLeafRows: 3,
      loss: 'absolute',
    });
    expect(predictGbt(model, [1])).toBeCloseTo(2, 6);
    expect(predictGbt(model, [6])).toBeCloseTo(10, 6);
  });

  it('sends missing values left and learns what they mean', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i % 3 === 0 ? Number.NaN : i]);
    const y = Float64Array.from(rows, ([v]) => (Number.isNaN(v!) ? 100 : 1));
    const model = trainGbt(matrix(rows), y, ones(60), { iterations: 50, learningRate: 0.5, minLeafRows: 5 });
    expect(predictGbt(model, [Number.NaN])).toBeCloseTo(100, 1);
    expect(predictGbt(model, [31])).toBeCloseTo(1, 1);
  });

  it('matches scikit-learn’s HistGradientBoostingRegressor on Friedman #1 (same data, same settings)', () => {
    const next = seededRandom(7);
    const train = friedman(2000, next);
    const test = friedman(1000, next);
    // scikit-learn 1.2.1, max_iter=200, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=20,
    // l2_regularization=0, max_bins=255, early_stopping=False, on these very rows:
    // test MSE 0.8809 (squared error), test MAE 0.7396 (absolute error).
    const squared = trainGbt(matrix(train.rows), Float64Array.from(train.y), ones(2000), {
      iterations: 200,
      learningRate: 0.05,
    });
    const mse = test.rows.reduce((sum, r, i) => sum + (predictGbt(squared, r) - test.y[i]!) ** 2, 0) / 1000;
    expect(mse / 0.8809).toBeGreaterThan(0.9);
    expect(mse / 0.8809).toBeLessThan(1.05);
    const absolute = trainGbt(matrix(train.rows), Float64Array.from(train.y), ones(2000), {
      iterations: 200,
      learningRate: 0.05,
      loss: 'absolute',
    });
    const mae = test.rows.reduce((sum, r, i) => sum + Math.abs(predictGbt(absolute, r) - test.y[i]!), 0) / 1000;
    expect(mae / 0.7396).toBeGreaterThan(0.9);
    expect(mae / 0.7396).toBeLessThan(1.05);
  });

  it('depends on the order of feature values only: a monotone transform changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 50 }),
            fc.integer({ min: -20, max: 20 }),
            fc.float({ min: -100, max: 100, noNaN: true }),
          ),
          { minLength: 30, maxLength: 120 },
        ),
        (data) => {
          const raw = matrix(data.map(([a, b]) => [a, b]));
          const transformed = matrix(data.map(([a, b]) => [Math.exp(a / 10), b * 3 - 7]));
          const y = Float64Array.from(data, ([, , v]) => v);
          const options = { iterations: 5, minLeafRows: 3, maxLeaves: 8 };
          const m1 = trainGbt(raw, y, ones(data.length), options);
          const m2 = trainGbt(transformed, y, ones(data.length), options);
          for (const [a, b] of data) {
            expect(predictGbt(m2, [Math.exp(a / 10), b * 3 - 7])).toBeCloseTo(predictGbt(m1, [a, b]), 6);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('encodes to a compact binary that predicts exactly the same, and refuses what is not one', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [i % 17, (i * 7) % 23, i % 2 ? Number.NaN : i / 3]);
    const y = Float64Array.from(rows, ([a, b]) => a! * 2 + Math.sin(b!));
    const model = trainGbt(matrix(rows), y, ones(300), { iterations: 30 });
    const bytes = encodeGbt(model);
    expect(bytes.byteLength).toBe(16 + model.feature.length * 5);
    const decoded = decodeGbt(bytes);
    for (const row of rows) expect(predictGbt(decoded, row)).toBe(predictGbt(model, row));
    expect(() => decodeGbt(bytes.subarray(0, 21))).toThrow(/Not an encoded model/); // truncated
    expect(() => decodeGbt(bytes.subarray(0, bytes.byteLength - 5))).toThrow(/Not an encoded model/); // a node short
    expect(() => decodeGbt(new Uint8Array([...bytes, ...bytes.subarray(16, 21)]))).toThrow(/Not an encoded model/); // a node too many
  });

  it('says what is wrong with mismatched inputs', () => {
    expect(() => trainGbt(matrix([[1], [2]]), Float64Array.from([1]), ones(2))).toThrow(
      /one target and one weight per row/,
    );
  });
});
