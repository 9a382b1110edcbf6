import type { DescEnum } from "@bufbuild/protobuf";

/** "ORDER_STATUS_PARTIALLY_PAID" of enum OrderStatus → "Partially paid". */
export function enumLabel(descriptor: DescEnum, value: number): string {
  const name = descriptor.values.find((v) => v.number === value)?.name ?? String(value);
  const words = name
    .slice(descriptor.sharedPrefix?.length ?? 0)
    .toLowerCase()
    .replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** <option>s for every value but the zero "unspecified" one, which the first option stands for. */
export function enumOptions(descriptor: DescEnum, unsetLabel: string): HTMLOptionElement[] {
  const options = [new Option(unsetLabel, "0")];
  for (const value of descriptor.values) {
    if (value.number !== 0) options.push(new Option(enumLabel(descriptor, value.number), String(value.number)));
  }
  return options;
}
