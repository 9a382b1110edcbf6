import { toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";

/**
 * Throws when `answer` cannot be written as proto3 JSON (Connect JSON, the console), e.g. a Timestamp
 * outside 0001..9999. Called inside a change's transaction, before it commits: a change whose answer
 * cannot reach a client must not be made, or the client sees INTERNAL, retries, and finds it made
 * (issue 9: a DeliverOrder committed, published its event, then failed to answer). Binary needs no
 * check of its own: the event, which carries the same order, is encoded in the transaction too, and
 * every value binary can carry but JSON cannot fails here.
 */
export function assertEncodable<Desc extends DescMessage>(schema: Desc, answer: MessageShape<Desc>): void {
  try {
    toJson(schema, answer);
  } catch (error) {
    throw new Error(`the ${schema.typeName} would not encode as JSON, so the change is not committed`, {
      cause: error,
    });
  }
}
