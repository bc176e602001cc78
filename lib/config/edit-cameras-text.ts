import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { RawCameraEntry } from './camera-form';

/**
 * Edits of the text of cameras.json that touch only the camera concerned: every other byte (other
 * cameras, their order, comments-free formatting the user chose) stays as it was.
 */

export type CamerasText = { text: string; cameras: RawCameraEntry[]; array: Node };

/** The cameras of a cameras.json text as written (no ${VAR} filled in); undefined if it is not JSON. */
export function readCamerasText(text: string): CamerasText | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const array = root && findNodeAtLocation(root, ['cameras']);
  if (errors.length > 0 || !array || array.type !== 'array') return undefined;
  const cameras = (array.children ?? []).map((child) => (child.type === 'object' ? (nodeValue(child) as RawCameraEntry) : {}));
  return { text, cameras, array };
}

export function indexOfCamera(file: CamerasText, id: string): number {
  return file.cameras.findIndex((camera) => camera.id === id);
}

export function addCamera(file: CamerasText, entry: RawCameraEntry): string {
  const { text, array } = file;
  const items = array.children ?? [];
  const last = items.at(-1);
  if (!last) {
    const indent = `${lineIndent(text, array.offset)}  `;
    return splice(text, array.offset, array.length, `[\n${indent}${stringify(entry, indent)}\n${indent.slice(2)}]`);
  }
  const indent = lineIndent(text, last.offset);
  const end = last.offset + last.length;
  return splice(text, end, 0, `,\n${indent}${stringify(entry, indent)}`);
}

export function replaceCamera(file: CamerasText, index: number, entry: RawCameraEntry): string {
  const node = file.array.children![index]!;
  return splice(file.text, node.offset, node.length, stringify(entry, lineIndent(file.text, node.offset)));
}

export function removeCamera(file: CamerasText, index: number): string {
  const items = file.array.children!;
  const node = items[index]!;
  const previous = items[index - 1];
  const next = items[index + 1];
  // Take the separator on one side with it, so that no stray comma is left.
  if (previous) return cut(file.text, previous.offset + previous.length, node.offset + node.length);
  if (next) return cut(file.text, node.offset, next.offset);
  return splice(file.text, file.array.offset, file.array.length, '[]');
}

/** A new file's text, for a save when there is no cameras.json yet. */
export const EMPTY_CAMERAS_TEXT = '{\n  "cameras": []\n}\n';

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((property) => [property.children![0]!.value as string, nodeValue(property.children![1]!)]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}

/** The whitespace before the first character on the line of `offset`, or the column as spaces. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^\s*$/.test(before) ? before : ' '.repeat(before.length);
}

function stringify(entry: RawCameraEntry, indent: string): string {
  return JSON.stringify(entry, null, 2).replaceAll('\n', `\n${indent}`);
}

function splice(text: string, offset: number, length: number, insert: string): string {
  return text.slice(0, offset) + insert + text.slice(offset + length);
}

function cut(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(to);
}
