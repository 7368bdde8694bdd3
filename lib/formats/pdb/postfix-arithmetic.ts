/**
 * The binary operators of the postfix languages DbgHelp's frame data (FRAMEDATA programs,
 * frame-program.ts) and Breakpad's STACK CFI rules (lib/stackwalk/cfi-expression.ts) share, on
 * unsigned machine words: `+ - * / %` wrapping to the word, `@` aligning down
 * (a @ b = a & ~(b - 1), which is a & -b in two's complement).
 */
export type PostfixOperator = '+' | '-' | '*' | '/' | '%' | '@';

export function isPostfixOperator(token: string): token is PostfixOperator {
  return token.length === 1 && '+-*/%@'.includes(token);
}

/** `a op b` on words of `mask`'s width; undefined for / and % by 0. */
export function applyPostfixOperator(op: PostfixOperator, a: bigint, b: bigint, mask: bigint): bigint | undefined {
  switch (op) {
    case '+':
      return (a + b) & mask;
    case '-':
      return (a - b) & mask;
    case '*':
      return (a * b) & mask;
    case '/':
      return b === 0n ? undefined : (a / b) & mask;
    case '%':
      return b === 0n ? undefined : (a % b) & mask;
    case '@':
      return a & (mask ^ ((b - 1n) & mask));
  }
}
