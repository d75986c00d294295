/**
 * Where a key or list item is written in block-style YAML (the style of hand-written CloudFormation
 * templates), found from indentation alone: much faster than a full YAML syntax tree, which only the
 * cases this does not understand (flow style, `? ` keys, anchors on keys…) fall back to.
 */
import { PathSegment } from './path';

/** `key:`, `"key":` or `'key':` at the start of a line (after indentation), followed by a space or the end. */
const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]}&*!|>%@`?-][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s|$)/;
const ITEM = /^-(?:\s|$)/;

/** A key or item: its line index and the column its text starts at. */
interface Position {
  readonly line: number;
  readonly column: number;
}

interface Block {
  /** Each key directly in the block. */
  readonly keys: Map<string, Position>;
  /** Each `- ` item directly in the block. */
  readonly items: Position[];
}

const DOCUMENT: Position = { line: -1, column: -1 };

function indentOf(text: string, from = 0): number {
  let column = from;
  while (text.charCodeAt(column) === 32) column++;
  return column - from;
}

function isContent(line: string, indent: number): boolean {
  return indent < line.length && line[indent] !== '#';
}

export class BlockYamlLines {
  private readonly lines: string[];
  /** By `line:column` of the key or item that holds the block. */
  private readonly blocks = new Map<string, Block>();

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }

  /** The 1-based line of the key or item at `path`; undefined when it is not found in block style. */
  lineOf(path: readonly PathSegment[]): number | undefined {
    let position = DOCUMENT;
    for (const segment of path) {
      const block = this.block(position);
      const found = typeof segment === 'number' ? block.items[segment] : block.keys.get(segment);
      if (found === undefined) return undefined;
      position = found;
    }
    return position === DOCUMENT ? this.firstContentLine() : position.line + 1;
  }

  private firstContentLine(): number | undefined {
    const index = this.lines.findIndex((line) => isContent(line, indentOf(line)) && !line.startsWith('---') && !line.startsWith('%'));
    return index < 0 ? undefined : index + 1;
  }

  /**
   * What the key or item at `parent` holds: the lines after it indented more than it, at the
   * indentation of the first of them. An item's own line may hold its first key (`- Name: app`),
   * at the column after `- `.
   */
  private block(parent: Position): Block {
    const cacheKey = `${parent.line}:${parent.column}`;
    const cached = this.blocks.get(cacheKey);
    if (cached) return cached;
    const block: Block = { keys: new Map(), items: [] };
    let childIndent: number | undefined;
    const parentText = parent.line < 0 ? '' : this.lines[parent.line];
    if (ITEM.test(parentText.slice(parent.column)) && parentText.slice(parent.column + 1).trim() !== '') {
      childIndent = parent.column + 1 + indentOf(parentText, parent.column + 1);
      this.addEntry(block, parentText, parent.line, childIndent);
    }
    for (let index = parent.line + 1; index < this.lines.length; index++) {
      const line = this.lines[index];
      const indent = indentOf(line);
      if (!isContent(line, indent)) continue;
      if (indent <= parent.column) break;
      childIndent ??= indent;
      if (indent === childIndent) this.addEntry(block, line, index, indent);
    }
    this.blocks.set(cacheKey, block);
    return block;
  }

  private addEntry(block: Block, line: string, index: number, column: number): void {
    const content = line.slice(column);
    if (ITEM.test(content)) {
      block.items.push({ line: index, column });
      return;
    }
    const match = KEY.exec(content);
    if (!match) return;
    const key = match[1] !== undefined ? JSON.parse(`"${match[1]}"`) : match[2] !== undefined ? match[2].replace(/''/g, "'") : match[3];
    // A repeated key is a YAML error the parser reports; keep the first.
    if (!block.keys.has(key)) block.keys.set(key, { line: index, column });
  }
}
