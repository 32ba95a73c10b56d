/**
 * Which values of an N×C×(H·W) tensor share statistics under each method: the one description
 * that the cube, the per-set statistics and the selected-set histogram all read, laid out like the
 * engine's kernels (src/engine/kernels.ts) so that set i here is set i of the engine's statistics.
 */
import type { NormMethod, Selection } from './previewConfig';

/**
 * Element (o, b, g, k, i) is at (((o·blockCount + b)·groupCount + g)·channelsPerGroup + k)·innerCount + i
 * and belongs to set o·groupCount + g: the set reduces over b, k and i.
 */
export interface SetLayout {
  /** Samples with their own sets: N, or 1 for BatchNorm, whose sets span the batch. */
  outerCount: number;
  /** Samples reduced into each set: N for BatchNorm, else 1. */
  blockCount: number;
  /** Sets per sample: C for BatchNorm and InstanceNorm, G for GroupNorm, 1 for LayerNorm and RMSNorm. */
  groupCount: number;
  channelsPerGroup: number;
  /** H·W. */
  innerCount: number;
}

/** The part of the cube one set covers: samples [first, end) × channels [first, end) × all of H·W. */
export interface SetBox {
  samples: [number, number];
  channels: [number, number];
}

export interface TensorShape {
  batchSize: number;
  channels: number;
  spatialSize: number;
}

export function tensorShapeOf(controls: { batchSize: number; channels: number; height: number; width: number }): TensorShape {
  return { batchSize: controls.batchSize, channels: controls.channels, spatialSize: controls.height * controls.width };
}

/** BatchNorm's sets: one per channel, over the batch and H·W. */
export function perChannelLayout({ batchSize, channels, spatialSize }: TensorShape): SetLayout {
  return { outerCount: 1, blockCount: batchSize, groupCount: channels, channelsPerGroup: 1, innerCount: spatialSize };
}

/** InstanceNorm's sets: one per sample and channel, over H·W. */
export function perSampleChannelLayout({ batchSize, channels, spatialSize }: TensorShape): SetLayout {
  return { outerCount: batchSize, blockCount: 1, groupCount: channels, channelsPerGroup: 1, innerCount: spatialSize };
}

/** The layout of `method`'s sets, or a reason why this shape has none (groups that do not divide the channels). */
export function setLayout(method: NormMethod, shape: TensorShape, groups: number): SetLayout | string {
  const { batchSize, channels, spatialSize } = shape;
  switch (method) {
    case 'BatchNorm':
      return perChannelLayout(shape);
    case 'InstanceNorm':
      return perSampleChannelLayout(shape);
    case 'GroupNorm':
      if (channels % groups !== 0) return `${channels} channels cannot be split into ${groups} equal groups`;
      return { outerCount: batchSize, blockCount: 1, groupCount: groups, channelsPerGroup: channels / groups, innerCount: spatialSize };
    case 'LayerNorm':
    case 'RMSNorm':
      return { outerCount: batchSize, blockCount: 1, groupCount: 1, channelsPerGroup: channels, innerCount: spatialSize };
  }
}

export function setCount(layout: SetLayout): number {
  return layout.outerCount * layout.groupCount;
}

export function valuesPerSet(layout: SetLayout): number {
  return layout.blockCount * layout.channelsPerGroup * layout.innerCount;
}

/** The engine's `setShape` for this layout: [C] for BatchNorm, [N] for LayerNorm, else [N, sets per sample]. */
export function setShape(layout: SetLayout): number[] {
  if (layout.outerCount === 1) return [layout.groupCount];
  return layout.groupCount === 1 ? [layout.outerCount] : [layout.outerCount, layout.groupCount];
}

export function setIndexOf(layout: SetLayout, selection: Selection): number {
  const outer = layout.outerCount === 1 ? 0 : selection.sample;
  return outer * layout.groupCount + Math.floor(selection.channel / layout.channelsPerGroup);
}

/** An element of set `setIndex`, keeping as much of `previous` as the set allows, so moving between sets feels stable. */
export function selectionInSet(layout: SetLayout, setIndex: number, previous: Selection): Selection {
  const outer = Math.floor(setIndex / layout.groupCount);
  const group = setIndex % layout.groupCount;
  const firstChannel = group * layout.channelsPerGroup;
  const channelInSet = previous.channel >= firstChannel && previous.channel < firstChannel + layout.channelsPerGroup;
  return {
    sample: layout.outerCount === 1 ? previous.sample : outer,
    channel: channelInSet ? previous.channel : firstChannel,
  };
}

export function setBox(layout: SetLayout, setIndex: number): SetBox {
  const outer = Math.floor(setIndex / layout.groupCount);
  const group = setIndex % layout.groupCount;
  const samples: [number, number] = layout.outerCount === 1 ? [0, layout.blockCount] : [outer, outer + 1];
  return { samples, channels: [group * layout.channelsPerGroup, (group + 1) * layout.channelsPerGroup] };
}

/** Where set `setIndex`'s first contiguous run starts; its runs follow every groupCount·channelsPerGroup·innerCount values. */
export function firstRunStart(layout: SetLayout, setIndex: number): number {
  const outer = Math.floor(setIndex / layout.groupCount);
  const group = setIndex % layout.groupCount;
  return (outer * layout.blockCount * layout.groupCount + group) * layout.channelsPerGroup * layout.innerCount;
}

/** Calls `visit(start, length)` for each contiguous run of set `setIndex`'s values in the flat tensor. */
export function forEachRun(layout: SetLayout, setIndex: number, visit: (start: number, length: number) => void): void {
  const runLength = layout.channelsPerGroup * layout.innerCount;
  const first = firstRunStart(layout, setIndex);
  for (let block = 0; block < layout.blockCount; block++) visit(first + block * layout.groupCount * runLength, runLength);
}

/** "channel 3", "sample 2, group 1 (channels 4–7)": names the set in tables and captions. */
export function setLabel(method: NormMethod, layout: SetLayout, setIndex: number): string {
  const outer = Math.floor(setIndex / layout.groupCount);
  const group = setIndex % layout.groupCount;
  switch (method) {
    case 'BatchNorm':
      return `channel ${group}`;
    case 'InstanceNorm':
      return `sample ${outer}, channel ${group}`;
    case 'GroupNorm': {
      const first = group * layout.channelsPerGroup;
      const channels = layout.channelsPerGroup === 1 ? `channel ${first}` : `channels ${first}–${first + layout.channelsPerGroup - 1}`;
      return `sample ${outer}, group ${group} (${channels})`;
    }
    case 'LayerNorm':
    case 'RMSNorm':
      return `sample ${outer}`;
  }
}

/** One line on what a set is, with this shape's numbers: "each channel over N·H·W = 8·64 = 512 values". */
export function setDescription(method: NormMethod, layout: SetLayout): string {
  const count = valuesPerSet(layout);
  const spatial = layout.innerCount;
  switch (method) {
    case 'BatchNorm':
      return `each channel over N·H·W = ${layout.blockCount}·${spatial} = ${count} values`;
    case 'InstanceNorm':
      return `each sample and channel over H·W = ${count} values`;
    case 'GroupNorm':
      return `each sample and group over C/G·H·W = ${layout.channelsPerGroup}·${spatial} = ${count} values`;
    case 'LayerNorm':
      return `each sample over C·H·W = ${layout.channelsPerGroup}·${spatial} = ${count} values`;
    case 'RMSNorm':
      return `each sample over C·H·W = ${layout.channelsPerGroup}·${spatial} = ${count} values, without subtracting the mean`;
  }
}
