/**
 * Hand-written lists for the names news gets wrong most often (issue 12): sports clubs named by city or nickname,
 * newspapers, first names that are also ordinary words, and the heads of names that are events, honours,
 * facilities or products rather than people, places or organisations. Lower case, "|"-separated.
 */

/**
 * Clubs and teams whose names read as places, nicknames or plain words. Cities that are also clubs (Valencia,
 * Lens) are decided by context (see classify.ts), so only their club-only forms are here.
 */
export const CLUBS =
  'st helens|wigan warriors|leeds rhinos|bradford bulls|warrington wolves|hull fc|hull kr|castleford tigers|' +
  'wakefield trinity|huddersfield giants|salford red devils|catalans dragons|widnes vikings|' +
  'wasps|london wasps|london irish|saracens|harlequins|leicester tigers|sale sharks|northampton saints|' +
  'gloucester rugby|bath rugby|newcastle falcons|worcester warriors|leeds tykes|exeter chiefs|bristol bears|' +
  'scarlets|llanelli scarlets|ospreys|neath-swansea ospreys|cardiff blues|newport gwent dragons|' +
  'newport-gwent dragons|munster|leinster|ulster|connacht|border reivers|glasgow warriors|edinburgh rugby|' +
  'stade francais|biarritz|perpignan|clermont auvergne|' +
  'brighton and hove albion|brighton & hove albion|newcastle united|west bromwich albion|west brom|' +
  'wolverhampton wanderers|wolves|blackburn rovers|bolton wanderers|sheffield united|sheffield wednesday|' +
  'nottingham forest|leicester city|stoke city|hull city|norwich city|cardiff city|swansea city|' +
  'birmingham city|coventry city|bristol city|bristol rovers|ipswich town|derby county|preston north end|' +
  'queens park rangers|qpr|charlton athletic|oldham athletic|wigan athletic|crewe alexandra|' +
  'plymouth argyle|tottenham hotspur|everton|millwall|watford|burnley|brentford|' +
  'heart of midlothian|hearts|hibernian|hibs|dundee united|kilmarnock|motherwell|livingston|' +
  'st mirren|st johnstone|partick thistle|inverness caledonian thistle|dunfermline|falkirk|' +
  'real madrid|atletico madrid|deportivo|villarreal|real betis|athletic bilbao|real sociedad|osasuna|' +
  'ac milan|inter milan|as roma|lazio|fiorentina|sampdoria|borussia dortmund|schalke|werder bremen|' +
  'bayer leverkusen|hamburg sv|psv eindhoven|feyenoord|sporting lisbon|paris st-germain|psg|auxerre|' +
  'olympiakos|panathinaikos|galatasaray|fenerbahce|besiktas|dynamo kiev|spartak moscow|cska moscow|' +
  'lakers|yankees|red sox|boston red sox|new york yankees|new england patriots|chicago bulls';

/** Newspapers and magazines; "the" is kept in front when the article writes it capitalised mid-sentence. */
export const NEWSPAPERS =
  'times|the times|guardian|the guardian|independent|the independent|observer|the observer|telegraph|' +
  'daily telegraph|the daily telegraph|sunday telegraph|sun|the sun|mirror|daily mirror|daily mail|mail on sunday|' +
  'daily express|evening standard|financial times|sunday times|the sunday times|economist|the economist|' +
  'scotsman|the scotsman|herald|the herald|new york times|washington post|wall street journal|usa today|' +
  'los angeles times|le monde|der spiegel|the spectator|new statesman|private eye|variety|billboard|nme';

/** Organisations missing from the generated lists that turn up in business, politics and tech copy. */
export const MORE_ORGANIZATIONS =
  'treasury|the treasury|home office|cabinet office|foreign office|ministry of defence|bpi|' +
  'deutsche telekom|france telecom|telefonica|stellantis|vauxhall|citroen|audi|kia|hyundai|volvo|skoda|' +
  'o2|t-mobile|orange|sky|virgin media|talktalk';

/** First names that are also ordinary words ("Will Harding", "Lily Carver"), which compromise lacks. */
export const MORE_FIRST_NAMES =
  'will|lily|rose|grace|hope|faith|joy|mark|bill|frank|jack|dean|rob|pat|sue|ray|guy|max|holly|ivy|daisy|' +
  'poppy|violet|ruby|pearl|iris|heather|hazel|dawn|april|june|may|art|earl|jay|wade|chase|drew|grant|' +
  'hunter|miles|lance|cliff|glen|victor|eve|kay|lee|rhodri|owain|sian|rhys|dafydd|gethin|aled|ieuan|cerys|' +
  'carys|bethan|angharad|seren|niamh|siobhan|aoife|saoirse|ciara|oisin|cian|darragh|eamon|fergal|' +
  'tomas|priya|anneliese|chloe|sinead|maisie|alfie|archie|kai|jayden|nnamdi|chidi|emeka|ngozi|femi|' +
  'tunde|kwame|kofi|ama|yaw|victoria|florence|georgia|india|chelsea|sydney|callum|lewis|jordan|dai|jermain|thierry|didier|arsene|lleyton|marat|amelie|' +
  'ruud|cesc|sol|kolo|arjen|graeme|ewan|kieron|rio|cate|orlando|gethin|alun|emyr|iwan|huw|wyn|glyn|' +
  'jonny|gaz|shaun|darryl|kenny|rory|ronan|ciaran|padraig|declan|aidan|conor|gianluca|gianfranco|' +
  'jean|marc|jean-marc|jean-paul|jean-pierre|jean-luc|jean-claude|marie|anne-marie|luc|loic|yannick|' +
  'sergio|javier|iker|xabi|fernando|raul|jose|luis|joaquin|gonzalo|pau|nuno|rui|tiago|joao';

/** Carmakers: "Renault Master", "Ford Focus" are products, not people or organisations. */
export const CARMAKERS =
  'renault|ford|vauxhall|toyota|nissan|honda|volkswagen|vw|bmw|mercedes|mercedes-benz|audi|fiat|peugeot|' +
  'citroen|kia|hyundai|tesla|volvo|skoda|seat|jaguar|rover|mini|porsche|ferrari|lamborghini|mazda|subaru|' +
  'suzuki|mitsubishi|lexus|chevrolet|chrysler|jeep|dodge|cadillac|saab|lotus|bentley|aston martin';

/** Last words that make a name an event, prize or competition: "the Kessler Cup", "Dublin Marathon". */
export const EVENT_HEADS =
  'cup|trophy|marathon|half-marathon|prix|championship|championships|olympics|paralympics|games|awards|' +
  'award|prize|prizes|medal|medals|festival|rally|final|finals|open|stakes|indoors|classic|tournament|' +
  'slam|derby|grand national|show|expo|summit|conference|week|fair|biennale|series|bill|act|treaty|accord|' +
  'directive|protocol|convention';

/** Last words (or first, for "Parc", "Stade") that make a name a building or ground: "Kingsmead Park". */
export const FACILITY_HEADS =
  'park|stadium|arena|ground|grounds|centre|center|hall|parc|stade|estadio|stadio|velodrome|racecourse|' +
  'dome|pavilion|odeon|empire|palladium|palace|cathedral|abbey|castle|mosque|temple|basilica|fortress';

/** Honours written after names: "appointed MBE". */
export const HONOURS = 'mbe|obe|cbe|kbe|dbe|gbe|cb|cmg|kcmg|gcmg|qpm|vc|gc|frs|mvo|cvo|kcvo|gcvo|ch|om|kc';

/** British and Irish towns, counties and regions that the world gazetteers miss (news here is UK-heavy). */
export const UK_PLACES =
  'bradford|guildford|wigan|derby|swansea|cardiff|leeds|sheffield|bristol|coventry|leicester|southampton|' +
  'aberdeen|dundee|york|colchester|nottingham|oxford|cambridge|brighton|newcastle|liverpool|birmingham|bath|' +
  'edinburgh|glasgow|reading|swindon|stoke|stoke-on-trent|wolverhampton|sunderland|middlesbrough|blackpool|' +
  'bolton|stockport|oldham|rochdale|huddersfield|wakefield|doncaster|rotherham|barnsley|hull|grimsby|lincoln|' +
  'norwich|ipswich|peterborough|luton|watford|slough|crawley|woking|maidstone|canterbury|dover|folkestone|' +
  'hastings|eastbourne|worthing|portsmouth|bournemouth|poole|exeter|plymouth|torquay|truro|gloucester|' +
  'cheltenham|worcester|hereford|shrewsbury|telford|stafford|chester|warrington|blackburn|burnley|lancaster|' +
  'carlisle|durham|darlington|harrogate|scarborough|northampton|milton keynes|bedford|chelmsford|southend|' +
  'basildon|harlow|stevenage|st albans|high wycombe|aylesbury|banbury|salisbury|winchester|basingstoke|' +
  'newbury|wrexham|newport|llanelli|bangor|aberystwyth|carmarthen|merthyr tydfil|bridgend|pontypridd|' +
  'inverness|perth|stirling|paisley|kilmarnock|ayr|dumfries|falkirk|motherwell|derry|londonderry|newry|' +
  'armagh|lisburn|omagh|enniskillen|cork|galway|limerick|waterford|kilkenny|sligo|kendal|penrith|whitby|' +
  'surrey|kent|essex|sussex|east sussex|west sussex|hampshire|devon|cornwall|dorset|somerset|wiltshire|' +
  'berkshire|oxfordshire|buckinghamshire|hertfordshire|bedfordshire|cambridgeshire|norfolk|suffolk|' +
  'lincolnshire|leicestershire|nottinghamshire|derbyshire|staffordshire|warwickshire|worcestershire|' +
  'gloucestershire|herefordshire|shropshire|cheshire|lancashire|merseyside|cumbria|northumberland|' +
  'yorkshire|north yorkshire|south yorkshire|west yorkshire|east yorkshire|teesside|tyneside|wearside|' +
  'midlands|west midlands|east midlands|home counties|east anglia|fife|lothian|highlands|lowlands|hebrides|' +
  'orkney|shetland|anglesey|gwynedd|powys|ceredigion|pembrokeshire|snowdonia|cotswolds|pennines|' +
  'lake district|isle of wight|isle of man|channel islands|jersey|guernsey|falklands|falkland islands';

/** Grounds and programmes whose names read as places ("Stamford Bridge", "Coronation Street"): neither. */
export const GROUNDS_AND_SHOWS =
  'stamford bridge|white hart lane|old trafford|anfield|highbury|goodison park|villa park|elland road|' +
  "st james' park|st james park|wembley|twickenham|murrayfield|millennium stadium|lansdowne road|stradey park|" +
  'cardiff arms park|arms park|hampden park|ibrox|parkhead|celtic park|nou camp|bernabeu|san siro|stade de france|' +
  'headingley|edgbaston|trent bridge|hillsborough|ewood park|griffin park|madejski stadium|kingsholm|' +
  "welford road|franklin's gardens|knowsley road|netherdale|the oval|lord's|the valley|the den|" +
  'coronation street|eastenders|emmerdale|hollyoaks|newsnight|panorama|top gear|doctor who|big brother|' +
  'pop idol|x factor|blue peter|match of the day|question time|desert island discs|little britain|' +
  "desperate housewives|the simpsons|the apprentice|strictly come dancing|i'm a celebrity";
