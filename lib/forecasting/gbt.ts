// Gradient-boosted regression trees on binned features (the histogram method of LightGBM and
// scikit-learn's HistGradientBoosting): small, dependency-free, and enough for a bakery's global model.
// Trees grow leaf-wise (best gain first); a missing value (NaN) always goes left.

export interface GbtOptions {
  iterations: number;
  learningRate: number;
  /** Leaves per tree. */
  maxLeaves: number;
  /** Rows a leaf must keep. */
  minLeafRows: number;
  /** L2 penalty on leaf values. */
  l2: number;
  /** Value bins per feature (at most 255; bin 0 holds missing values). */
  maxBins: number;
  /** `squared` fits the mean; `absolute` fits the median (leaf values are weighted medians). */
  loss: 'squared' | 'absolute';
}

const GBT_DEFAULTS: GbtOptions = {
  iterations: 200,
  learningRate: 0.05,
  maxLeaves: 31,
  minLeafRows: 20,
  l2: 0,
  maxBins: 255,
  loss: 'squared',
};

/** Rows are stored feature after feature: `values[feature * rows + row]`. */
export interface FeatureMatrix {
  rows: number;
  features: number;
  values: Float64Array;
}

/** All trees in flat arrays; a node with feature −1 is a leaf whose value is `threshold`. */
export interface GbtModel {
  features: number;
  base: number;
  roots: Int32Array;
  feature: Int16Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

interface Binned {
  bins: Uint8Array;
  /** Per feature, the upper edge of each value bin but the last: value ≤ edges[k] ⇔ bin ≤ k + 1. */
  edges: Float64Array[];
}

function binFeatures(x: FeatureMatrix, maxBins: number): Binned {
  const { rows, features, values } = x;
  const bins = new Uint8Array(rows * features);
  const edges: Float64Array[] = [];
  const valueBins = Math.min(maxBins, 255);
  for (let f = 0; f < features; f += 1) {
    const column = values.subarray(f * rows, (f + 1) * rows);
    const sorted = Float64Array.from(column.filter((v) => !Number.isNaN(v))).sort();
    const distinct: number[] = [];
    for (let i = 0; i < sorted.length; i += 1) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    let featureEdges: number[] = [];
    if (distinct.length <= valueBins) {
      for (let i = 1; i < distinct.length; i += 1) featureEdges.push((distinct[i - 1]! + distinct[i]!) / 2);
    } else {
      for (let k = 1; k < valueBins; k += 1) {
        const v = sorted[Math.floor((k * sorted.length) / valueBins)]!;
        if (featureEdges.length === 0 || v > featureEdges[featureEdges.length - 1]!) featureEdges.push(v);
      }
      featureEdges = featureEdges.filter((e) => e < sorted[sorted.length - 1]!);
    }
    const e = Float64Array.from(featureEdges);
    edges.push(e);
    for (let r = 0; r < rows; r += 1) bins[f * rows + r] = binOf(e, column[r]!);
  }
  return { bins, edges };
}

function binOf(edges: Float64Array, value: number): number {
  if (Number.isNaN(value)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

function weightedMedian(values: Float64Array, weights: Float64Array, count: number): number {
  if (count === 0) return 0;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (let i = 0; i < count; i += 1) total += weights[i]!;
  let running = 0;
  for (const i of order) {
    running += weights[i]!;
    if (running >= total / 2) return values[i]!;
  }
  return values[order[order.length - 1]!]!;
}

const BINS = 256;

interface Leaf {
  start: number;
  end: number;
  node: number;
  histogram: Float64Array;
  split: { gain: number; feature: number; bin: number } | null;
}

/**
 * Fits `iterations` trees to targets `y` with row weights `w` (pass all ones for none). Deterministic:
 * the same inputs give the same model.
 */
export function trainGbt(
  x: FeatureMatrix,
  y: Float64Array,
  w: Float64Array,
  options: Partial<GbtOptions> = {},
): GbtModel {
  const o = { ...GBT_DEFAULTS, ...options };
  const { rows, features } = x;
  if (y.length !== rows || w.length !== rows)
    throw new RangeError(
      `trainGbt needs one target and one weight per row (${rows} rows, ${y.length} targets, ${w.length} weights).`,
    );
  if (rows === 0) throw new RangeError('trainGbt needs at least one row.');
  const { bins, edges } = binFeatures(x, o.maxBins);
  const base =
    o.loss === 'absolute'
      ? weightedMedian(y, w, rows)
      : y.reduce((s, v, i) => s + v * w[i]!, 0) /
        Math.max(
          w.reduce((s, v) => s + v, 0),
          1e-12,
        );
  const prediction = new Float64Array(rows).fill(base);
  const gradient = new Float64Array(rows);
  const hessian = w;
  const order = new Uint32Array(rows);
  const residuals = new Float64Array(rows);
  const residualWeights = new Float64Array(rows);
  const nodes = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[] };
  const roots: number[] = [];
  const addNode = () => {
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    return nodes.feature.length - 1;
  };
  // Histogram layout: [feature][bin] × (gradient, hessian, count).
  const histogramSize = features * BINS * 3;
  const buildHistogram = (start: number, end: number): Float64Array => {
    const h = new Float64Array(histogramSize);
    for (let f = 0; f < features; f += 1) {
      const offset = f * rows;
      const base3 = f * BINS * 3;
      for (let i = start; i < end; i += 1) {
        const r = order[i]!;
        const at = base3 + bins[offset + r]! * 3;
        h[at] = h[at]! + gradient[r]!;
        h[at + 1] = h[at + 1]! + hessian[r]!;
        h[at + 2] = h[at + 2]! + 1;
      }
    }
    return h;
  };
  const bestSplit = (h: Float64Array): Leaf['split'] => {
    let best: Leaf['split'] = null;
    let g = 0;
    let hs = 0;
    let count = 0;
    for (let b = 0; b < BINS; b += 1) {
      g += h[b * 3]!;
      hs += h[b * 3 + 1]!;
      count += h[b * 3 + 2]!;
    }
    const parentScore = (g * g) / (hs + o.l2 + 1e-12);
    for (let f = 0; f < features; f += 1) {
      const last = edges[f]!.length; // splits at bins 0..last leave something on the right
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const base3 = f * BINS * 3;
      for (let b = 0; b <= last; b += 1) {
        gl += h[base3 + b * 3]!;
        hl += h[base3 + b * 3 + 1]!;
        cl += h[base3 + b * 3 + 2]!;
        if (cl < o.minLeafRows) continue;
        if (count - cl < o.minLeafRows) break;
        const gr = g - gl;
        const hr = hs - hl;
        const gain = (gl * gl) / (hl + o.l2 + 1e-12) + (gr * gr) / (hr + o.l2 + 1e-12) - parentScore;
        if (gain > 1e-12 && (!best || gain > best.gain)) best = { gain, feature: f, bin: b };
      }
    }
    return best;
  };
  const leafValue = (leaf: Leaf): number => {
    if (o.loss === 'absolute') {
      let n = 0;
      for (let i = leaf.start; i < leaf.end; i += 1) {
        const r = order[i]!;
        residuals[n] = y[r]! - prediction[r]!;
        residualWeights[n] = w[r]!;
        n += 1;
      }
      return weightedMedian(residuals, residualWeights, n);
    }
    let g = 0;
    let hs = 0;
    for (let b = 0; b < BINS; b += 1) {
      g += leaf.histogram[b * 3]!;
      hs += leaf.histogram[b * 3 + 1]!;
    }
    return -g / (hs + o.l2 + 1e-12);
  };

  for (let iteration = 0; iteration < o.iterations; iteration += 1) {
    for (let r = 0; r < rows; r += 1) {
      const difference = prediction[r]! - y[r]!;
      gradient[r] = o.loss === 'absolute' ? w[r]! * Math.sign(difference) : w[r]! * difference;
      order[r] = r;
    }
    const root: Leaf = { start: 0, end: rows, node: addNode(), histogram: buildHistogram(0, rows), split: null };
    roots.push(root.node);
    root.split = bestSplit(root.histogram);
    const open: Leaf[] = [root];
    while (open.length < o.maxLeaves) {
      let pick = -1;
      for (let i = 0; i < open.length; i += 1)
        if (open[i]!.split && (pick < 0 || open[i]!.split!.gain > open[pick]!.split!.gain)) pick = i;
      if (pick < 0) break;
      const leaf = open.splice(pick, 1)[0]!;
      const { feature, bin } = leaf.split!;
      // Partition the leaf's rows: bin ≤ split bin to the left.
      const offset = feature * rows;
      let i = leaf.start;
      let j = leaf.end - 1;
      while (i <= j) {
        if (bins[offset + order[i]!]! <= bin) i += 1;
        else {
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
          j -= 1;
        }
      }
      const leftNode = addNode();
      const rightNode = addNode();
      nodes.feature[leaf.node] = feature;
      // Thresholds are kept at float32 precision, so that the encoded model predicts exactly the same.
      nodes.threshold[leaf.node] = bin === 0 ? Number.NEGATIVE_INFINITY : Math.fround(edges[feature]![bin - 1]!);
      nodes.left[leaf.node] = leftNode;
      nodes.right[leaf.node] = rightNode;
      const leftSmaller = i - leaf.start <= leaf.end - i;
      const small = leftSmaller ? buildHistogram(leaf.start, i) : buildHistogram(i, leaf.end);
      const large = leaf.histogram;
      for (let k = 0; k < histogramSize; k += 1) large[k] = large[k]! - small[k]!;
      const left: Leaf = {
        start: leaf.start,
        end: i,
        node: leftNode,
        histogram: leftSmaller ? small : large,
        split: null,
      };
      const right: Leaf = {
        start: i,
        end: leaf.end,
        node: rightNode,
        histogram: leftSmaller ? large : small,
        split: null,
      };
      for (const child of [left, right]) {
        child.split = bestSplit(child.histogram);
        open.push(child);
      }
    }
    for (const leaf of open) {
      const value = Math.fround(o.learningRate * leafValue(leaf));
      nodes.threshold[leaf.node] = value;
      for (let k = leaf.start; k < leaf.end; k += 1) {
        const r = order[k]!;
        prediction[r] = prediction[r]! + value;
      }
    }
  }
  return {
    features,
    base,
    roots: Int32Array.from(roots),
    feature: Int16Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
  };
}

/** The model's prediction for one row of feature values (NaN for missing). */
export function predictGbt(model: GbtModel, row: ArrayLike<number>): number {
  let sum = model.base;
  const { roots, feature, threshold, left, right } = model;
  for (let t = 0; t < roots.length; t += 1) {
    let node = roots[t]!;
    // `!(v > threshold)` sends a missing value (NaN) left with the values at or under the threshold.
    for (let f = feature[node]!; f >= 0; f = feature[node]!)
      node = !(row[f]! > threshold[node]!) ? left[node]! : right[node]!;
    sum += threshold[node]!;
  }
  return sum;
}

/** Marks a leaf in the binary form (feature indexes stay below it). */
const LEAF = 0xff;

/**
 * A compact binary form (little-endian): features (uint32), base (float64), trees (uint32), then each
 * tree in pre-order, every node as one byte — its feature, or 255 for a leaf — and a float32 —
 * its threshold, or the leaf's value. A node's left subtree follows it, then its right one, so no
 * child index is stored: 5 bytes a node.
 */
export function encodeGbt(model: GbtModel): Uint8Array {
  if (model.features >= LEAF)
    throw new RangeError(`A model of ${model.features} features cannot be encoded (at most ${LEAF - 1}).`);
  const bytes = new Uint8Array(16 + model.feature.length * 5);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, model.features, true);
  view.setFloat64(4, model.base, true);
  view.setUint32(12, model.roots.length, true);
  let at = 16;
  const write = (node: number): void => {
    const feature = model.feature[node]!;
    view.setUint8(at, feature < 0 ? LEAF : feature);
    view.setFloat32(at + 1, model.threshold[node]!, true);
    at += 5;
    if (feature >= 0) {
      write(model.left[node]!);
      write(model.right[node]!);
    }
  };
  for (const root of model.roots) write(root);
  return bytes.subarray(0, at);
}

export function decodeGbt(bytes: Uint8Array): GbtModel {
  const broken = () =>
    new RangeError(`Not an encoded model: ${bytes.byteLength} bytes do not hold what their header says.`);
  if (bytes.byteLength < 16 || (bytes.byteLength - 16) % 5 !== 0) throw broken();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trees = view.getUint32(12, true);
  const nodes = (bytes.byteLength - 16) / 5;
  const model: GbtModel = {
    features: view.getUint32(0, true),
    base: view.getFloat64(4, true),
    roots: new Int32Array(trees),
    feature: new Int16Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes).fill(-1),
    right: new Int32Array(nodes).fill(-1),
  };
  let next = 0;
  const read = (): number => {
    if (next >= nodes) throw broken();
    const node = next;
    next += 1;
    const code = view.getUint8(16 + node * 5);
    model.threshold[node] = view.getFloat32(16 + node * 5 + 1, true);
    if (code === LEAF) {
      model.feature[node] = -1;
      return node;
    }
    if (code >= model.features) throw broken();
    model.feature[node] = code;
    model.left[node] = read();
    model.right[node] = read();
    return node;
  };
  for (let t = 0; t < trees; t += 1) model.roots[t] = read();
  if (next !== nodes) throw broken();
  return model;
}
