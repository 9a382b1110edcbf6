import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  CompanySchema as CompanyMessageSchema,
  type Company as CompanyMessage,
} from "../../gen/orders/v1/company_pb.js";
import { recordToAddress, type AddressRecord } from "../addresses/address.js";
import { etagOf } from "../platform/database/etag.js";
import type { CompanyAddressRecord } from "./rules/company-addresses.js";

/** A company as read: the entity, or a row of the listing (queries.ts). */
export interface CompanyView {
  id: string;
  name: string;
  taxId: string | null | undefined;
  billingAddress: AddressRecord | null | undefined;
  shippingAddresses: CompanyAddressRecord[];
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function companyToMessage(company: CompanyView): CompanyMessage {
  return create(CompanyMessageSchema, {
    id: company.id,
    name: company.name,
    taxId: company.taxId ?? "",
    billingAddress: recordToAddress(company.billingAddress),
    shippingAddresses: company.shippingAddresses.map((entry) => ({
      id: entry.id,
      address: recordToAddress(entry.address),
      default: entry.default,
    })),
    metadata: { ...company.metadata },
    createTime: timestampFromDate(company.createdAt),
    updateTime: timestampFromDate(company.updatedAt),
    etag: etagOf(company.id, company.version),
  });
}
