/** Very common words per language; the language with the most hits among the first 400 words wins. */
const MARKERS: Record<string, ReadonlySet<string>> = {
  en: new Set(
    'the|and|of|to|in|is|that|for|it|was|with|on|as|he|she|by|at|said|his|her|have|has|from|are|were'.split(
      '|',
    ),
  ),
  fr: new Set(
    'le|la|les|et|des|du|un|une|est|dans|pour|que|qui|sur|pas|par|au|avec|il|elle|sont|été'.split('|'),
  ),
  de: new Set(
    'der|die|das|und|ist|nicht|den|mit|von|zu|auf|für|ein|eine|dem|sich|auch|es|sie|wurde'.split('|'),
  ),
  es: new Set('el|la|los|las|y|de|que|en|un|una|por|con|para|es|del|se|su|al|lo|como|más|fue'.split('|')),
  it: new Set('il|la|di|che|e|un|una|per|con|non|del|della|sono|è|nel|alla|gli|anche|come|più'.split('|')),
  pt: new Set('o|a|os|as|e|de|que|em|um|uma|para|com|não|do|da|dos|por|se|mais|foi|ao|no|na'.split('|')),
};

/** ISO 639-1 code of the article's language, or "und" (undetermined) when no language stands out. */
export const detectLanguage = (text: string): string => {
  const words = (text.toLowerCase().match(/\p{L}+/gu) ?? []).slice(0, 400);
  if (words.length === 0) return 'und';
  let best = 'und';
  let bestHits = 0;
  for (const [language, markers] of Object.entries(MARKERS)) {
    const hits = words.reduce((sum, word) => (markers.has(word) ? sum + 1 : sum), 0);
    if (hits > bestHits) {
      best = language;
      bestHits = hits;
    }
  }
  return bestHits / words.length >= 0.08 ? best : 'und';
};
