/** Thrown inside the undecorator (and caught in index.ts) when a name is too big or too deep. */
export class DemangleError extends Error {}
