/**
 * Falco condition syntax → AST. Hand-written recursive descent: no npm library implements Falco's
 * filter grammar (libsinsp's own parser is C++), and the grammar is small.
 *
 *   expr     := or
 *   or       := and ('or' and)*
 *   and      := unary ('and' unary)*
 *   unary    := 'not' unary | primary
 *   primary  := '(' expr ')' | FIELD UNARY_OP | FIELD BINARY_OP value | FIELD LIST_OP list | MACRO_NAME
 *   list     := '(' [item (',' item)*] ')'          item: a bare word or a quoted string (list names expand later)
 *   value    := bare word | quoted string
 *
 * Values are lexed differently from the left side (a bare value runs to whitespace, ',' or ')' and may
 * hold '/', ':', '*', '-', ...), so the parser reads characters directly instead of a token stream.
 */

export type BinaryOp =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'endswith'
  | 'glob'
  | 'iglob';
export type ListOp = 'in' | 'intersects' | 'pmatch';
export type CompareOp = BinaryOp | ListOp;

export type CondNode =
  | { kind: 'and'; items: CondNode[] }
  | { kind: 'or'; items: CondNode[] }
  | { kind: 'not'; item: CondNode }
  | { kind: 'exists'; field: string }
  | { kind: 'cmp'; field: string; op: BinaryOp; value: string }
  | { kind: 'list'; field: string; op: ListOp; items: string[] }
  | { kind: 'ref'; name: string };

export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

const BINARY_WORD_OPS = new Set<string>(['contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob']);
const LIST_OPS = new Set<string>(['in', 'intersects', 'pmatch']);
/** Falco operators this engine does not implement: a clear error instead of "unknown macro". */
const UNSUPPORTED_OPS = new Set<string>(['bcontains', 'bstartswith', 'regex']);
const IDENT = /[A-Za-z0-9_.\-[\]]/;

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): CondNode {
    this.ws();
    if (this.pos >= this.src.length) throw this.err('empty condition');
    const node = this.or();
    this.ws();
    if (this.pos < this.src.length) throw this.err(`unexpected "${this.src.slice(this.pos, this.pos + 20)}"`);
    return node;
  }

  private err(msg: string, at = this.pos): ConditionSyntaxError {
    return new ConditionSyntaxError(`${msg} at column ${at + 1}`, at);
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  /** Consume keyword `kw` if it is next as a whole word. */
  private keyword(kw: string): boolean {
    this.ws();
    if (!this.src.startsWith(kw, this.pos)) return false;
    const after = this.src[this.pos + kw.length];
    if (after !== undefined && IDENT.test(after)) return false;
    this.pos += kw.length;
    return true;
  }

  private or(): CondNode {
    const items = [this.and()];
    while (this.keyword('or')) items.push(this.and());
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): CondNode {
    const items = [this.unary()];
    while (this.keyword('and')) items.push(this.unary());
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private unary(): CondNode {
    if (this.keyword('not')) return { kind: 'not', item: this.unary() };
    return this.primary();
  }

  private ident(): string {
    this.ws();
    const start = this.pos;
    while (this.pos < this.src.length && IDENT.test(this.src[this.pos]!)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private primary(): CondNode {
    this.ws();
    if (this.src[this.pos] === '(') {
      this.pos++;
      const inner = this.or();
      this.ws();
      if (this.src[this.pos] !== ')') throw this.err('missing ")"');
      this.pos++;
      return inner;
    }
    const at = this.pos;
    const name = this.ident();
    if (name === '') {
      throw this.err(this.pos >= this.src.length ? 'condition ends early' : `unexpected "${this.src[this.pos]}"`);
    }
    if (name === 'and' || name === 'or') throw this.err(`"${name}" without a left operand`, at);
    this.ws();
    const op = this.operator();
    if (op === undefined) return { kind: 'ref', name };
    if (op === 'exists') return { kind: 'exists', field: name };
    if (LIST_OPS.has(op)) return { kind: 'list', field: name, op: op as ListOp, items: this.list() };
    return { kind: 'cmp', field: name, op: op as BinaryOp, value: this.value() };
  }

  /** The operator after a field, or undefined when the identifier stands alone (a macro reference). */
  private operator(): string | undefined {
    const s = this.src;
    const c = s[this.pos];
    if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = s.slice(this.pos, this.pos + 2);
      if (two === '!=' || two === '<=' || two === '>=' || two === '==') {
        this.pos += 2;
        return two === '==' ? '=' : two;
      }
      if (c === '!') throw this.err('"!" is not an operator (use "not" or "!=")');
      this.pos++;
      return c;
    }
    const save = this.pos;
    const word = this.ident();
    if (word === 'exists' || BINARY_WORD_OPS.has(word) || LIST_OPS.has(word)) return word;
    if (UNSUPPORTED_OPS.has(word)) throw this.err(`operator "${word}" is not supported`, save);
    this.pos = save;
    return undefined;
  }

  private quoted(): string {
    const q = this.src[this.pos]!;
    let out = '';
    this.pos++;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]!;
      if (ch === '\\' && this.pos + 1 < this.src.length) {
        out += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === q) {
        this.pos++;
        return out;
      }
      out += ch;
      this.pos++;
    }
    throw this.err('unterminated string');
  }

  private value(): string {
    this.ws();
    const c = this.src[this.pos];
    if (c === undefined) throw this.err('missing value after operator');
    if (c === '"' || c === "'") return this.quoted();
    const start = this.pos;
    while (this.pos < this.src.length && !/[\s(),]/.test(this.src[this.pos]!)) this.pos++;
    if (this.pos === start) throw this.err(`missing value, found "${c}"`);
    return this.src.slice(start, this.pos);
  }

  private list(): string[] {
    this.ws();
    if (this.src[this.pos] !== '(') throw this.err('expected "(" and a list of values');
    this.pos++;
    const items: string[] = [];
    this.ws();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return items;
      }
      throw this.err('expected "," or ")" in list');
    }
  }
}

/** Parse one Falco condition; throws ConditionSyntaxError. */
export function parseCondition(src: string): CondNode {
  return new Parser(src).parse();
}
