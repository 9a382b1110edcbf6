import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import {
  IssueGiftCardRequestSchema,
  IssueGiftCardResponseSchema,
  type IssueGiftCardRequest,
  type IssueGiftCardResponse,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import {
  idempotencyKey,
  idempotently,
  recordResponse,
  type IdempotencyKey,
} from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { GiftCard } from "./entities/gift-card.js";
import { GiftCardTransaction } from "./entities/gift-card-transaction.js";
import { giftCardCodeTaken } from "./gift-card-errors.js";
import { giftCardToMessage } from "./gift-card-mapper.js";
import {
  generateGiftCardCode,
  giftCardCodeHash,
  lastCharactersOf,
  normalizeGiftCardCode,
} from "./rules/gift-card-code.js";
import { checkIssue } from "./rules/issue-rules.js";

/** The unique index a code that is already a card's collides with. */
export const CODE_CONSTRAINT = "gift_cards_tenant_id_code_hash_unique";

/** How many codes a call draws before it gives up: 80 random bits collide about never. */
const DRAWS = 3;

/**
 * IssueGiftCard: the card and its ISSUE ledger row (and, with a request_id, the idempotency record) in one
 * transaction. The code is the caller's or drawn here (`newCode`); only its hash is stored, and the answer
 * is the one place it appears: the recorded answer a retry replays leaves it out.
 */
export class IssueGiftCard {
  constructor(
    private readonly orm: MikroORM,
    private readonly newCode: () => string = generateGiftCardCode,
  ) {}

  async execute(principal: Principal, request: IssueGiftCardRequest): Promise<IssueGiftCardResponse> {
    const em = this.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.GiftCardsService/IssueGiftCard",
          IssueGiftCardRequestSchema,
          request,
        )
      : undefined;
    return idempotently(em, key, IssueGiftCardResponseSchema, async () => {
      const now = new Date();
      const expiresAt = request.expireTime ? timestampDate(request.expireTime) : undefined;
      const checked = checkIssue(
        { initialBalance: request.initialBalance, currency: request.currency, expiresAt },
        now,
      );
      if (!checked.ok) throw ServiceError.invalidArgument(checked.violations);
      const card = { initialBalance: checked.initialBalance, expiresAt, now };
      for (let draw = 1; ; draw += 1) {
        const code = request.code === "" ? this.newCode() : request.code;
        try {
          return await this.issue(em, principal, request, key, { ...card, code });
        } catch (error) {
          if (!isUniqueViolation(error, CODE_CONSTRAINT)) throw error;
          if (request.code !== "") throw giftCardCodeTaken();
          if (draw === DRAWS) throw error;
        }
      }
    });
  }

  private issue(
    em: EntityManager,
    principal: Principal,
    request: IssueGiftCardRequest,
    key: IdempotencyKey | undefined,
    card: { code: string; initialBalance: string; expiresAt: Date | undefined; now: Date },
  ): Promise<IssueGiftCardResponse> {
    const normalized = normalizeGiftCardCode(card.code);
    return em.fork().transactional(async (tx) => {
      const issued = tx.create(GiftCard, {
        tenant: principal.tenantId,
        codeHash: giftCardCodeHash(principal.tenantId, normalized),
        lastCharacters: lastCharactersOf(normalized),
        currency: request.currency,
        initialBalance: card.initialBalance,
        balance: card.initialBalance,
        expiresAt: card.expiresAt ?? null,
        disabled: false,
        note: request.note || null,
        createdAt: card.now,
        updatedAt: card.now,
      });
      tx.create(GiftCardTransaction, {
        tenantId: principal.tenantId,
        giftCard: issued,
        kind: "issue",
        amount: card.initialBalance,
        balanceAfter: card.initialBalance,
        createdAt: card.now,
      });
      // Flushed first so the answer carries the version (etag) the row was written with.
      await tx.flush();
      const recorded = create(IssueGiftCardResponseSchema, { giftCard: giftCardToMessage(issued) });
      if (key) recordResponse(tx, key, IssueGiftCardResponseSchema, recorded, card.now);
      return create(IssueGiftCardResponseSchema, { giftCard: giftCardToMessage(issued, card.code) });
    });
  }
}
