import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

interface CardAnswer {
  giftCard: { id: string; code?: string; etag: string; lastCharacters: string };
}

it("docs/gift-cards.md's examples issue a card, look it up by code, read its ledger and disable it as written", async () => {
  const commands = curlCommands("docs/gift-cards.md", "<!-- test/docs/gift-cards.test.ts runs every command");
  expect(commands).toHaveLength(4);
  const env = { KEY: tenant.key, CODE: "", GIFT_CARD_ID: "", ETAG: "" };
  const [issue, lookup, ledger, disable] = commands as [string, string, string, string];

  const issued = (await runCurl(issue, service.url, env)) as CardAnswer;
  expect(issued).toMatchObject({
    giftCard: {
      initialBalance: "50.00",
      balance: "50.00",
      currency: "USD",
      note: "Refund for order 1042 as store credit",
    },
  });
  const code = issued.giftCard.code ?? "";
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
  expect(issued.giftCard.lastCharacters).toBe(code.slice(-4));
  Object.assign(env, { CODE: code, GIFT_CARD_ID: issued.giftCard.id, ETAG: issued.giftCard.etag });

  const { code: _shownOnce, ...withoutCode } = issued.giftCard;
  expect(await runCurl(lookup, service.url, env)).toEqual({ giftCard: withoutCode });
  expect(await runCurl(ledger, service.url, env)).toMatchObject({
    transactions: [{ giftCardId: issued.giftCard.id, kind: "GIFT_CARD_TRANSACTION_KIND_ISSUE", amount: "50.00" }],
  });
  expect(await runCurl(disable, service.url, env)).toMatchObject({
    giftCard: { id: issued.giftCard.id, disabled: true, balance: "50.00" },
  });
});
