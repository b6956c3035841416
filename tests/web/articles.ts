/**
 * Articles written for the browser tests (never corpus text), in the seed format. Three dated stories give the
 * list more than one page at a small page size; the hostile one carries markup that must show as text.
 */
export const DATED_ARTICLES: Record<string, string> = {
  'web/ferry timetable.txt': ` date 2025-01-10 The island ferry will run an extra crossing on winter weekends from next month, the operator Kestrel Lines said, after complaints about queues at the harbour.

Passengers have waited up to two hours for a place on the afternoon boat since the summer timetable ended in October.

"We have listened to islanders and we will add the crossing as soon as the crew rota allows," said Marta Lindqvist, who runs the service.
`,
  'web/orchard harvest.txt': ` date 2025-02-14 Growers in the valley of Ambersley reported the smallest apple harvest in twenty years, blaming a wet spring that kept bees from the blossom.

The Ambersley Growers Association said several family orchards would not be able to pay seasonal pickers next year without help.

"A harvest like this tells you how much the weather now decides for us," said Owen Pritchard, who chairs the association.
`,
  'web/bridge repairs.txt': ` date 2025-03-20 Repairs to the old stone bridge at Coldwater will close the main road for six weeks from Monday, the county highways department said.

Drivers will be sent on a diversion through the villages to the north, adding around twenty minutes to the journey into town.

"The bridge has carried traffic for two centuries and it needs this work to carry it for another," said engineer Priya Nandakumar.
`,
};

/** Markup that would run if the page ever parsed article text as HTML: both set a flag the test looks for. */
export const HOSTILE_KEY = 'web/hostile markup.txt';
export const HOSTILE_SCRIPT = '<script>window.__pwned = "script"</script>';
export const HOSTILE_IMG = '<img src=x onerror="window.__pwned = \'img\'">';
export const HOSTILE_ARTICLE = ` date 2025-04-01 A reader sent the newsroom a letter that contained ${HOSTILE_SCRIPT} in the middle of an otherwise ordinary complaint about parking in the town centre.

The same letter also held ${HOSTILE_IMG} after its second sentence, which the editors printed exactly as it arrived so that nothing was lost.

The council said it would review the parking charges at its next meeting in the spring and publish the results.
`;
