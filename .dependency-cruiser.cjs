// Import rules of src/ (npm run lint:deps): a shared platform that serves every capability and imports none,
// capabilities that use each other only through a surface they declare, pure rules and money, no cycles.
// Capabilities are the folders of src/ other than platform/ (the shared platform), money/, addresses/ and domain/ (pure
// rules shared by capabilities: amounts, currencies, countries; postal addresses; checkout pricing) and admin/ (the admin
// CLI, which, like app.ts, sees everything).

/** What a capability may use of another: its declared surface, nothing else (never its tables or use cases). */
const SURFACES = {
  // store/public.ts: an order's market, sales channel and stock location, and the primary channel.
  // shipping/public.ts: a tenant's shipping methods as the checkout engine prices them.
  // gift-cards/public.ts: the cards a checkout's codes name, and their debits and credits in the order's transaction.
  // promotions/public.ts: the promotions of an order's coupon codes, and recording and releasing their uses.
  // tax/public.ts: the tenant's tax configuration for an order, in the pricing engine's terms.
  // inventory/public.ts: the stock an order reserves, releases, ships and restocks, in the order's transaction.
  orders: [
    "customers/public.ts",
    "companies/public.ts",
    "catalog/public.ts",
    "store/public.ts",
    "shipping/public.ts",
    "gift-cards/public.ts",
    "promotions/public.ts",
    "tax/public.ts",
    "carts/public.ts",
    "inventory/public.ts",
  ],
  customers: ["companies/public.ts"],
  // store/public.ts: whether the markets of the tax settings' overrides are the tenant's.
  tax: ["store/public.ts"],
  // catalog/public.ts and store/public.ts: whether the variant and the stock location of a stock level are the tenant's.
  inventory: ["catalog/public.ts", "store/public.ts"],
};

const NOT_CAPABILITIES = ["platform", "money", "addresses", "domain", "admin"];
/** What every capability may use besides its own folder: the platform and the shared pure values. */
const SHARED = ["^src/platform/", "^src/money/", "^src/addresses/", "^src/domain/"];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const surfaceOf = (capability) => (SURFACES[capability] ?? []).map((file) => `^src/${escape(file)}$`);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "platform-imports-no-capability",
      severity: "error",
      comment:
        "src/platform serves every capability and imports none, nor the application that wires them (app.ts, " +
        "routes.ts, database.ts, main.ts): whatever it needs of them (entities, roles, routes) is handed to it.",
      from: { path: "^src/platform/" },
      to: { path: "^src/", pathNot: ["^src/platform/", "^src/money/"] },
    },
    {
      name: "money-is-pure",
      severity: "error",
      comment: "src/money holds pure rules every capability shares: no platform, no capability, no database.",
      from: { path: "^src/money/" },
      to: { pathNot: ["^src/money/", "^node_modules/(decimal\\.js|currency-codes)/"] },
    },
    {
      name: "addresses-are-pure",
      severity: "error",
      comment:
        "src/addresses holds the postal address value every capability shares (snapshots, the contract's " +
        "Address, the country rule): money and the protobuf runtime only, no platform, no capability, no database.",
      from: { path: "^src/addresses/" },
      to: { pathNot: ["^src/addresses/", "^src/money/", "^node_modules/@bufbuild/protobuf/"] },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment:
        "src/domain holds the pure rules several capabilities share (the checkout pricing engine that orders and " +
        "carts call): money and decimal.js only, no platform, no capability, no database, no clock.",
      from: { path: "^src/domain/" },
      to: { pathNot: ["^src/domain/", "^src/money/", "^node_modules/(decimal\\.js|currency-codes)/"] },
    },
    // A capability declared in SURFACES may use its own folder, the platform, the shared values and the surfaces listed.
    ...Object.keys(SURFACES).map((capability) => ({
      name: `${capability}-uses-other-capabilities-only-through-their-surface`,
      severity: "error",
      comment: `${capability} may use other capabilities only through ${SURFACES[capability].join(", ")} (.dependency-cruiser.cjs SURFACES).`,
      from: { path: `^src/${capability}/` },
      to: {
        path: "^src/",
        pathNot: [`^src/${capability}/`, ...SHARED, ...surfaceOf(capability)],
      },
    })),
    {
      name: "capabilities-are-independent-unless-declared",
      severity: "error",
      comment:
        "A capability uses no other capability (nor the application's wiring) unless .dependency-cruiser.cjs " +
        "declares the surface it may use.",
      from: {
        path: "^src/([^/]+)/",
        pathNot: [...NOT_CAPABILITIES, ...Object.keys(SURFACES)].map((folder) => `^src/${folder}/`),
      },
      to: { path: "^src/", pathNot: ["^src/$1/", ...SHARED] },
    },
    {
      name: "rules-are-pure",
      severity: "error",
      comment:
        "A capability's rules/ are plain functions over plain data: no entities, queries or database at run " +
        "time (their types are fine), so their unit tests need no database.",
      from: { path: "^src/[^/]+/rules/" },
      to: {
        path: ["^src/[^/]+/(entities|queries)/", "^src/platform/database/", "^node_modules/(@mikro-orm|pg)/"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "no-circular",
      severity: "error",
      comment:
        "No import cycles. The one exception: entities that point at each other through MikroORM relations " +
        "(an order and its lines), which defineEntity resolves lazily.",
      from: { path: "^src/", pathNot: "^src/.+/entities/" },
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing is a typo or a missing dependency.",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // gen/ is generated: imported by src/, never checked or followed. (Imports written `./x.js` resolve to
    // `./x.ts`, as TypeScript does; dependency-cruiser does that for TypeScript sources by itself.)
    doNotFollow: { path: ["node_modules", "^gen/"] },
    exclude: { path: ["^gen/", "^dist/", "^web/dist/"] },
    includeOnly: ["^src/", "^node_modules/"],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
