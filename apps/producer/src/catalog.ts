/** A small, seeded shop catalogue: categories, products with base prices, and per-market currencies. */
import { multiplyMoney } from "@shopstream/events";
import type { Random } from "@shopstream/transforms";

export interface Product {
  product_id: string;
  category: string;
  /** Base price in US cents. */
  baseCents: number;
}

export interface Market {
  country: string;
  currency: string;
  /** Price multiplier in thousandths (exact integer arithmetic), and currency decimals. */
  rateMilli: number;
  decimals: 0 | 2;
}

export const CATEGORIES = [
  "shoes",
  "socks",
  "jackets",
  "bags",
  "hats",
  "gloves",
  "shirts",
  "trousers",
] as const;

export const MARKETS: Market[] = [
  { country: "US", currency: "USD", rateMilli: 1000, decimals: 2 },
  { country: "DE", currency: "EUR", rateMilli: 920, decimals: 2 },
  { country: "FR", currency: "EUR", rateMilli: 920, decimals: 2 },
  { country: "GB", currency: "GBP", rateMilli: 790, decimals: 2 },
  { country: "JP", currency: "JPY", rateMilli: 150000, decimals: 0 },
  { country: "SE", currency: "SEK", rateMilli: 10500, decimals: 2 },
];

export function buildCatalog(random: Random, size = 200): Product[] {
  return Array.from({ length: size }, (_, i) => ({
    product_id: `sku-${String(1000 + i)}`,
    category: random.pick(CATEGORIES),
    baseCents: random.int(199, 29999),
  }));
}

/** Price of `product` in `market` as an exact decimal string (integer arithmetic, rounded half up). */
export function priceIn(product: Product, market: Market): string {
  const minorUnits = Math.round((product.baseCents * market.rateMilli) / 1000);
  if (market.decimals === 0) return String(Math.round(minorUnits / 100));
  return multiplyMoney(`${Math.floor(minorUnits / 100)}.${String(minorUnits % 100).padStart(2, "0")}`, 1);
}
