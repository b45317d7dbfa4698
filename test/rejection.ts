import { expect } from "vitest";

// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary fields of the error.
type AnyError = Error & Record<string, any>;

/** The error `promise` rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<AnyError> {
  try {
    const value = await promise;
    expect.unreachable(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    return error as AnyError;
  }
  throw new Error("unreachable");
}
