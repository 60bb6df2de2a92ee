import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { ScoringCatalogue, SubCriterion } from './catalogue.schema';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * What a score depends on for one sub-criterion: its maxPoints and its parsed rule (defaults applied, so an
 * omitted `zeroDenominator` and an explicit `no_data` are the same rule), or the fact that it is manual and the
 * document it asks for. The title, notes and sources are left out: fixing a typo in a title does not make a
 * new rule version. An imported item's rule reads `imported.<importKey>`, so the key is in the rule.
 */
export function ruleDigestInput(item: SubCriterion): unknown {
  if (item.kind === 'manual' || item.manual === true) return { manual: true, maxPoints: item.maxPoints, document: item.document };
  const input: Record<string, unknown> = { maxPoints: item.maxPoints, rule: item.rule };
  // only when declared, so catalogues without them keep their digests
  if (item.portal) input.portal = item.portal;
  if (item.fallback) input.fallback = item.fallback;
  return input;
}

const digests = new WeakMap<SubCriterion, string>();

/**
 * sha256 (hex) of the canonical JSON of the sub-criterion's rule and maxPoints; stable under key reordering.
 * Parsed items are not changed after loading: the digest is computed once per item.
 */
export function ruleDigest(item: SubCriterion): string {
  let digest = digests.get(item);
  if (digest === undefined) {
    digest = sha256(canonicalJson(ruleDigestInput(item)));
    digests.set(item, digest);
  }
  return digest;
}

/** sha256 (hex) of the canonical JSON of the whole parsed catalogue (every field, defaults applied). */
export function catalogueDigest(catalogue: ScoringCatalogue): string {
  return sha256(canonicalJson(catalogue));
}
