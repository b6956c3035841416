/**
 * Short hand lists for international wire copy (issue 23), where a list is the answer because nothing in the
 * word itself says what it is: news agencies and broadcasters cited as sources, parliaments, central banks and
 * statistics offices, pollsters, leagues and companies named bare. A few dozen each, the ones wire stories cite;
 * provinces and towns come from the generated gazetteers instead. Lower case, "|"-separated.
 */

/** News agencies: cited as sources ("Kyodo reported") and able to speak ("the agency said"). */
export const NEWS_AGENCIES =
  'afp|agence france-presse|reuters|ap|associated press|dpa|efe|ansa|kyodo|kyodo news|jiji|jiji press|' +
  'yonhap|xinhua|tass|ria novosti|interfax|pti|press trust of india|ians|bernama|antara|pap|ntb|' +
  'ritzau|stt|anp|belga|apa|ctk|mti|anadolu|irna|tasnim|fars|wam|saudi press agency|' +
  'qna|kuna|sana|kcna|vna|aap|bloomberg|lusa|agencia brasil|telam|notimex|prensa latina|' +
  'ukrinform|belta|bss|nna|cna|central news agency';

/** Broadcasters and papers wire copy cites that the other lists lack. */
export const WIRE_MEDIA =
  "nhk|sabc|al jazeera|al arabiya|cctv|cgtn|global times|people’s daily|people's daily|tvn24|" +
  'france inter|france 24|rfi|bfmtv|tf1|le figaro|liberation|ouest-france|zdf|mediaset|' +
  'asahi shimbun|yomiuri shimbun|mainichi shimbun|nikkei|kompas|the hindu|times of india|' +
  'hindustan times|el pais|el mundo|la repubblica|corriere della sera|svenska dagbladet|dagens nyheter|' +
  'aftenposten|haaretz|yedioth ahronoth|kommersant|izvestia|vedomosti|folha|o globo|clarin|' +
  'valor economico|straits times|south china morning post|korea herald|chosun ilbo|canal+|disney+|apple tv+';

/** Parliaments and chambers named by their own word ("the Sejm", "the Lok Sabha"). */
export const PARLIAMENTS =
  'sejm|senat|lok sabha|rajya sabha|storting|riksdag|folketing|eduskunta|althing|knesset|bundestag|' +
  'bundesrat|duma|state duma|federation council|national diet|majlis|verkhovna rada|' +
  'congreso|dewan rakyat|dewan negara|dail|dáil|oireachtas|seanad|senedd|stortinget|' +
  "national assembly|national people’s congress|national people's congress|shura council|" +
  'grand national assembly|sabor|saeima|seimas|riigikogu|sobranie|majlis-e shura';

/** Central banks, statistics offices and other bodies known by a bare or foreign name. */
export const INSTITUTIONS =
  "banque de france|bundesbank|deutsche bundesbank|banca d’italia|banca d'italia|bank of italy|" +
  'banco de españa|banco de espana|bank of spain|norges bank|riksbank|sveriges riksbank|' +
  'danmarks nationalbank|swiss national bank|snb|bank of japan|boj|reserve bank of india|rbi|' +
  "people’s bank of china|people's bank of china|pboc|ecb|federal reserve|banxico|" +
  'joint chiefs of staff|istat|insee|destatis|rosstat|ons|statcan|ibge|eurostat|imf|oecd|opec+|asean|ecowas|gcc|' +
  "quai d’orsay|quai d'orsay|bundeswehr|idf|irgc|pla";

/** Pollsters, who are cited like agencies ("a poll by Ifop"). */
export const POLLSTERS =
  'ifop|yougov|ipsos|gallup|elabe|odoxa|harris interactive|opinionway|forsa|infratest dimap|' +
  'cbos|ibris|datafolha|levada|levada center|vtsiom|pew research center|morning consult|' +
  'savanta|opinium|survation|axis my india|gallup korea|' +
  'norstat|respons analyse|metroscopia';

/** Leagues, federations and sports bodies named bare. */
export const LEAGUES =
  'serie a|serie b|bundesliga|2. bundesliga|la liga|laliga|ligue 1|ligue 2|eredivisie|primeira liga|' +
  'super lig|süper lig|j.league|j1 league|k league|mls|ipl|indian premier league|a-league|' +
  'premier league|efl|uefa|fifa|caf|afc|concacaf|conmebol|ioc|wada|bcci|icc|pcb|' +
  'figc|rfef|dfb|fff|knvb|cbf|afa|sanzaar|world athletics|fia|uci|itf|atp|wta|nba|nfl|nhl';

/** Companies wire copy names bare, whose names are no word, suffix or pattern. */
export const WIRE_COMPANIES =
  'petrobras|arcelormittal|lockheed martin|equinor|eskom|gazprom|rosneft|lukoil|aramco|saudi aramco|' +
  'adnoc|qatarenergy|sinopec|cnooc|petronas|pertamina|ongc|infosys|wipro|adani|' +
  'hanwha|hanwha aerospace|hyundai rotem|posco|sk hynix|tsmc|foxconn|huawei|byd|catl|alibaba|' +
  'airbus|safran|thales|dassault|rheinmetall|fincantieri|kongsberg|embraer|' +
  'glencore|rio tinto|bhp|anglo american|sasol|transnet|naspers|vodacom|telkom|totalenergies|' +
  'eni|enel|iberdrola|repsol|statkraft|orsted|vattenfall|ikea|ericsson|nestle|novartis|' +
  'roche|ubs|bnp paribas|societe generale|société générale|axa|lvmh|kering|renault|stellantis|' +
  'itau|itau bba|bradesco|kpler|lseg|maersk|cosco|raytheon|rtx|northrop grumman|' +
  'general dynamics|bae systems|mitsubishi heavy industries|kawasaki heavy industries|' +
  'borsa istanbul|bursa malaysia|tadawul|jse|sgx|hkex|krx|korea exchange|tokyo stock exchange|' +
  'bombay stock exchange|moex|euronext|' +
  'softbank|rakuten|samsung c&t|korea aerospace industries|doosan|etihad|qatar airways';

/** Parties known by a name that is a word or an event ("National Rally") rather than by "Party". */
export const PARTIES =
  'national rally|rassemblement national|la france insoumise|renaissance|confederation|law and justice|' +
  'civic platform|likud|fidesz|syriza|podemos|vox|afd|akp|chp|mhp|anc|eff|bjp|komeito|ldp|ppp|pti party';

/** Seas, oceans, islands and regions named bare or in English, which the generated gazetteers lack. */
export const WIRE_PLACES =
  'atlantic|pacific|mediterranean|baltic|aegean|adriatic|red sea|black sea|' +
  'philippines|congo|democratic republic of congo|vatican|brittany|bavaria|catalonia|' +
  'andalusia|lombardy|tuscany|sardinia|flanders|wallonia|silesia|galicia|basque country|transylvania|' +
  'anatolia|kurdistan|patagonia|punjab|sindh|balochistan|khyber pakhtunkhwa|xinjiang|inner mongolia|' +
  'honshu|hokkaido|kyushu|shikoku|okinawa|mindanao|luzon|visayas|palawan|sumatra|borneo|sulawesi|' +
  'bali|papua|sahel|maghreb|levant|horn of africa|donbas|kuril islands|spratly islands|paracel islands';

/** Clubs of the big European leagues named by their city ("Napoli beat Torino"), which read as places. */
export const WIRE_CLUBS =
  'napoli|torino|atalanta|juventus|fiorentina|bologna|genoa|udinese|sassuolo|monza|lecce|cagliari|' +
  'sevilla|valencia cf|girona|mallorca|getafe|celta vigo|espanyol|benfica|sporting|braga|ajax|' +
  'feyenoord|psv|anderlecht|club brugge|galatasaray|olympiacos|red star belgrade|dinamo zagreb|' +
  'rb leipzig|eintracht frankfurt|vfb stuttgart|hoffenheim|wolfsburg|freiburg|union berlin|' +
  'olympique lyonnais|olympique de marseille|lille osc|as monaco|stade rennais|ogc nice';
