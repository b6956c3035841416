/**
 * Hand-written word lists for news text. Lower case, "|"-separated, so that they stay compact and load fast.
 * They complement the generated compromise gazetteer where it is thin for news: parties, broadcasters, British
 * and European institutions, football clubs, and the words that make up titles.
 */

/** Words that make a title or honorific: "President", "Mr", "Prime Minister", "chief executive". */
export const TITLE_WORDS =
  'mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lord|lady|baroness|baron|rev|reverend|father|sister|' +
  'president|vice|prime|minister|ministers|secretary|chancellor|premier|governor|senator|sen|rep|congressman|' +
  'congresswoman|mayor|king|queen|prince|princess|duke|duchess|earl|count|countess|pope|cardinal|archbishop|' +
  'bishop|imam|rabbi|sheikh|emir|ayatollah|gen|col|colonel|maj|capt|captain|lt|lieutenant|sgt|sergeant|' +
  'admiral|commander|brigadier|marshal|corporal|private|chairman|chairwoman|chairperson|chief|executive|' +
  'director|judge|justice|inspector|detective|constable|superintendent|commissioner|ambassador|speaker|' +
  'spokesman|spokeswoman|spokesperson|coach|manager|officer|councillor|alderman|deputy|shadow|acting|former|' +
  'foreign|home|defence|defense|finance|health|education|culture|trade|industry|interior|treasury|' +
  'attorney|solicitor|general|state|leader|head|boss|founder|editor|correspondent|president-elect|' +
  'secretary-general|taoiseach|chancellor-elect|st|saint|uncle|aunt|coroner|mp|mep|msp|am|' +
  'commodore|vice-president|vice-chairman|under-secretary|undersecretary|mufti|patriarch|sultan|emeritus';

/** The core of a title: a run ending in one of these is a job title, not a name. */
export const CORE_TITLES =
  'president|minister|secretary|chancellor|premier|governor|senator|mayor|king|queen|prince|princess|' +
  'pope|chairman|chairwoman|director|judge|commissioner|ambassador|speaker|spokesman|spokeswoman|coach|' +
  'manager|leader|executive|officer|taoiseach|secretary-general|president-elect|mp|mep|correspondent|editor';

/** Honorifics that precede a name directly and say it is a person: "Mr Parsons", "Dr Smith". */
export const HONORIFICS =
  'mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lord|lady|baroness|rev|reverend|sen|rep|gen|col|maj|capt|' +
  'lt|sgt|president|chancellor|premier|governor|senator|mayor|king|queen|prince|princess|pope|judge|' +
  'ambassador|sheikh|imam|rabbi|cardinal|archbishop|bishop|inspector|detective|coach|minister|secretary|' +
  'commissioner|chairman|taoiseach';

export const FEMALE_HONORIFICS = 'mrs|ms|miss|dame|lady|baroness|queen|princess|duchess|countess|sister';
export const MALE_HONORIFICS = 'mr|sir|lord|baron|king|prince|duke|earl|father';

/** Last words that make a run an organisation: "Security Council", "Warner Bros", "Labour Party". */
export const ORG_SUFFIXES =
  'party|council|ministry|bank|inc|corp|corporation|ltd|plc|llc|group|association|union|commission|' +
  'committee|agency|university|college|school|academy|club|fc|afc|united|rovers|wanderers|athletic|albion|' +
  'hotspur|airways|airlines|motors|motor|news|times|post|court|police|department|office|institute|federation|' +
  'league|foundation|trust|organisation|organization|service|services|society|board|authority|assembly|' +
  'parliament|congress|senate|army|navy|force|forces|museum|hospital|records|studios|pictures|' +
  'entertainment|company|co|holdings|industries|systems|technologies|networks|communications|bros|fund|' +
  'exchange|funds|labs|electronics|energy|capital|partners|media|press|telegraph|herald|journal|gazette|' +
  'magazine|channel|radio|tv|television|network|broadcasting|democrats|republicans|conservatives|greens|' +
  'chamber|chambers|democrat|republican|nationalists|socialists|unionists|labour|' +
  'front|movement|alliance|coalition|church|brigade|brigades|guard|cabinet|government|administration|' +
  'bureau|tribunal|inquiry|orchestra|theatre|opera|ballet|' +
  'motorsport|racing|telecom|telecoms|telekom|hotels|resorts|logistics|airline|pharmaceuticals|group|mail|express|observer|guardian|' +
  'independent|mirror|standard|chronicle|tribune|review|weekly|daily|sun|times|international|worldwide|' +
  'financial|securities|investments|insurance|airport|railways|rail|trains|buses|stores|supermarkets|' +
  'foods|brewery|motors|aerospace|defence|petroleum|oil|gas|mining|steel|chemicals|pharma|software|' +
  'microsystems|computers|semiconductor|robotics|biotech|ventures|consulting|associates|llp|gmbh|ag|sa|nv|' +
  // Wire copy's bodies: "Pacific Fleet", "Centre for Analysis of...", "Climate Observatory", "Joint Command".
  'sport|fleet|command|corps|centre|center|observatory|secretariat|directorate|prosecutor|prosecutors|junta|' +
  'ministries|bloc|consortium|conglomerate|syndicate|confederation|cooperative|co-operative|sabha|diet|rada';

/** Last words that make a run a place: "Oxford Street", "River Thames" (first word), "Gaza Strip". */
export const PLACE_SUFFIXES =
  'street|road|avenue|lane|square|river|lake|mountain|mountains|mount|island|islands|sea|ocean|valley|' +
  'bay|county|province|republic|bridge|hill|hills|coast|desert|strait|gulf|peninsula|region|district|' +
  'kingdom|strip|bank|heights|highlands|canal|forest|park|stadium|arena|estate|village|borough|shire|' +
  'falls|beach|harbour|harbor|port|airport|station|' +
  // Sea and land features: "Great Barrier Reef", "Khyber Pass", "Tibetan Plateau", "Santos Basin".
  'reef|reefs|shoal|shoals|pass|plateau|basin|archipelago|atoll|lagoon|fjord|glacier|steppe|' +
  'plains|gorge|canyon|straits|estuary|oblast|krai|governorate|prefecture';

/** Organisations news mentions often that compromise's lexicon lacks (parties, broadcasters, bodies, clubs). */
export const EXTRA_ORGANIZATIONS =
  'labour|conservatives|tories|tory party|liberal democrats|lib dems|snp|plaid cymru|ukip|reform uk|' +
  'lib dem|liberal democrat|tory|sinn fein|dup|green party|amnesty international|human rights watch|' +
  'red cross|greenpeace|oxfam|merrill lynch|deutsche boerse|standard chartered|electronic arts|' +
  'societe generale|euronext|axa|allianz|siemens|philips|nasdaq|ftse|dow jones|democrats|republicans|gop|bbc|itv|gmtv|channel 4|channel five|sky|sky news|' +
  'cnn|fox news|nbc|abc|cbs|pbs|npr|reuters|afp|ap|bloomberg|al jazeera|tass|xinhua|ria novosti|interfax|' +
  'ofcom|ofwat|ofgem|fsa|fca|hmrc|nhs|dvla|met office|scotland yard|downing street|whitehall|kremlin|' +
  'white house|pentagon|state department|treasury|home office|foreign office|congress|senate|parliament|' +
  'commons|house of commons|house of lords|european commission|european parliament|european union|eu|un|' +
  'united nations|nato|imf|world bank|wto|who|opec|oecd|g7|g8|g20|fifa|uefa|ioc|fa|rfu|ecb|icc|' +
  'premier league|football association|security council|federal reserve|bank of england|' +
  'european central bank|hamas|hezbollah|taliban|islamic state|isis|al-qaeda|al qaeda|ira|farc|' +
  'google|microsoft|apple|amazon|facebook|meta|twitter|yahoo|ebay|aol|sony|nintendo|sega|samsung|nokia|' +
  'motorola|intel|ibm|hp|dell|oracle|cisco|vodafone|bt|o2|orange|virgin|tesco|sainsbury|asda|' +
  "sainsbury's|morrisons|marks & spencer|boots|bp|shell|exxon|gazprom|rosneft|yukos|toyota|nissan|honda|" +
  'ford|gm|general motors|volkswagen|bmw|mercedes|fiat|renault|peugeot|boeing|airbus|ryanair|easyjet|' +
  'british airways|lufthansa|qantas|emirates|disney|warner bros|time warner|timewarner|universal|emi|' +
  'bertelsmann|vivendi|news corp|hsbc|barclays|lloyds|rbs|natwest|citigroup|goldman sachs|jp morgan|' +
  'morgan stanley|deutsche bank|ubs|credit suisse|enron|worldcom|parmalat|glaxosmithkline|pfizer|' +
  "astrazeneca|unilever|nestle|coca-cola|pepsi|mcdonald's|starbucks|walmart|wal-mart|huawei|tencent|" +
  'alibaba|baidu|xiaomi|lenovo|netflix|spotify|tiktok|openai|nvidia|tesla|uber|' +
  'arsenal|chelsea|liverpool|everton|tottenham|spurs|newcastle|fulham|celtic|rangers|juventus|' +
  'barcelona|real madrid|bayern munich|ac milan|inter milan|manchester united|manchester city|man utd|' +
  'man city|aston villa|west ham|leeds|southampton|middlesbrough|sunderland|portsmouth|bolton|' +
  'blackburn|charlton|wigan|norwich|crystal palace|porto|benfica|ajax|psv|lyon|marseille|monaco|' +
  'lions|all blacks|wallabies|springboks';

export const EXTRA_PLACES =
  'uk|us|usa|u.s.|u.k.|britain|great britain|england|scotland|wales|northern ireland|ireland|europe|' +
  'asia|africa|america|latin america|south america|north america|middle east|far east|gulf|balkans|' +
  'caribbean|scandinavia|siberia|west bank|gaza|gaza strip|darfur|kashmir|tibet|taiwan|hong kong|' +
  'macau|kosovo|chechnya|crimea|donbas|kyiv|kiev|kharkiv|zhuhai|shenzhen|guangzhou|wuhan|chengdu|' +
  'london|manchester|birmingham|glasgow|edinburgh|cardiff|belfast|dublin|leeds|sheffield|bristol|' +
  'newcastle|liverpool|nottingham|leicester|coventry|oxford|cambridge|brighton|southampton|aberdeen|' +
  'dundee|swansea|york|bath|colchester|westminster|silicon valley|wall street|hollywood|' +
  'washington|new york|los angeles|brussels|strasbourg|geneva|davos|the hague|moscow|beijing|tokyo|' +
  'seoul|pyongyang|tehran|baghdad|kabul|islamabad|delhi|new delhi|mumbai|jerusalem|tel aviv|cairo|' +
  'united states|united kingdom|north korea|south korea|soviet union|ussr|uae';

/** Capitalised words that start sentences or headlines but never begin a name. */
export const FUNCTION_WORDS =
  'a|an|the|and|but|or|nor|so|yet|for|of|in|on|at|to|by|with|from|as|into|onto|over|under|after|before|' +
  'since|until|while|when|where|why|how|what|who|whom|whose|which|that|this|these|those|there|here|' +
  'he|she|it|they|we|i|you|his|her|its|their|our|my|your|him|them|us|me|if|although|though|because|' +
  'however|meanwhile|now|then|also|last|next|first|second|third|speaking|asked|according|despite|during|' +
  'about|around|among|between|both|each|every|all|any|some|many|most|more|much|few|several|no|not|' +
  'one|two|three|four|five|six|seven|eight|nine|ten|other|another|such|only|even|just|still|already|' +
  'earlier|later|today|yesterday|tomorrow|tonight|instead|overall|indeed|thus|therefore|further|' +
  'furthermore|moreover|unlike|like|without|within|against|towards|toward|across|through|throughout|' +
  'up|down|out|off|above|below|near|behind|beyond|inside|outside|upon|via|per|plus|minus|then|else|' +
  'once|twice|again|perhaps|maybe|why|yes|no|oh|well|let|do|does|did|is|are|was|were|be|been|has|have|' +
  'had|will|would|shall|should|can|could|may|might|must|former|senior|junior|chief|' +
  'mr|mrs|ms|dr|sir';

/** Capitalised words that are never entities on their own. */
export const NON_ENTITIES =
  'i|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|' +
  'august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|' +
  'christmas|easter|ramadan|eid|diwali|hanukkah|new year|god|internet|web|tv|ceo|cfo|gdp|pc|dvd|cd|mp3|' +
  'ok|id|ai|hiv|aids|sms|pdf|am|pm|bst|gmt|utc|est|faq|vat|pin|atm|ipo|rnd|r&d|ps|ft|no|st|mph|kg|km|' +
  'vcr|pvr|dvds|cds|ceos|url|usb|lcd|gps|hd|3d|dj|mc|vip|bc|ad|gcse|gcses|mba|phd|bsc|ba|ma|qc|ufo|' +
  'english|french|german|spanish|italian|latin|greek|arabic|mandarin|islam|muslim|muslims|christian|' +
  'british|irish|scottish|welsh|arab|arabs|kiwi|kiwis|briton|britons|maori|maoris|yankee|yankees|' +
  'sim|lan|uv|rfid|p2p|ep|lp|pr|mw|gw|kw|mb|gb|tb|hq|it|ict|www|html|css|api|sms|mms|wi-fi|wifi|' +
  'christians|jewish|jews|catholic|catholics|protestant|sunni|shia|hindu|hindus|cold war|world war|' +
  'oscar|oscars|grammy|grammys|bafta|baftas|emmy|emmys|brit|brits|mps|meps|msps|mp|mep|msp';

/** Role nouns that say the next capitalised name is an organisation: "publisher Bertelsmann". */
export const ORG_CUES =
  'firm|company|group|giant|maker|retailer|carrier|airline|bank|broadcaster|network|channel|newspaper|' +
  'paper|publisher|label|studio|club|side|team|party|union|agency|regulator|operator|chain|rival|' +
  'rivals|conglomerate|manufacturer|insurer|lender|brewer|developer|outfit|band|supermarket|store|' +
  'website|site|service|platform|startup|start-up|charity|watchdog|broadcasters|clubs|firms|companies|' +
  'groups|parties|newspapers|banks|shares|stake|opponents|champions|holders|leaders|' +
  // Wire copy: "the pollster Ifop", "the far-right Confederation", "the ruling BJP".
  'pollster|pollsters|far-right|far-left|right-wing|left-wing|centre-right|centre-left|ruling|broadcasters|' +
  'tabloid|exporter|importer|miner|utility|conglomerate|shipbuilder|automaker|carmaker';

/** Verbs of speaking, for quote attribution and person evidence. */
export const SPEECH_VERBS =
  'said|says|say|told|tells|added|adds|explained|explains|insisted|insists|stressed|stresses|noted|notes|' +
  'warned|warns|argued|argues|claimed|claims|admitted|admits|declared|declares|announced|announces|' +
  'continued|continues|replied|replies|asked|asks|wrote|writes|remarked|remarks|commented|comments|' +
  'confirmed|confirms|denied|denies|suggested|suggests|affirmed|affirms|urged|urges|predicted|predicts|' +
  'acknowledged|acknowledges|conceded|concedes|responded|responds|recalled|recalls|believes|believed|' +
  'maintained|maintains|revealed|reveals|described|describes|called|calls|promised|promises|vowed|vows|' +
  'pledged|pledges|tweeted|posted|agreed|agrees|joked|jokes|laughed|observed|observes|pointed|stated|' +
  'states|concluded|concludes|demanded|demands|reckoned|reckons|countered|counters|cautioned|cautions|' +
  'recounted|boasted|complained|complains|protested|answered|answers|whispered|shouted|announced|quipped|' +
  // Wire copy: "Kyodo reported", "a plan X dismissed as".
  'reported|reports|dismissed';
