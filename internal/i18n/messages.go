package i18n

import (
	"regexp"
	"strings"
)

// Messages from the domain, the service and the importers are written in
// English with values in them ("\"ai\" is used twice: also on row 2"). Message
// translates them for people reading the web in Swedish: each entry below is
// an English message with its variable parts marked, and its Swedish
// version. A message with no entry is shown in English, and a test runs a
// corpus of real messages through it to keep the table complete.
//
// Marks in the English side: %q a quoted value, %d a number, %s any text.
// The Swedish side names the parts in order: {1}, {2}, …
var messageTable = []struct{ en, sv string }{
	// Whole files.
	{"file is empty", "filen är tom"},
	{"file is larger than the %d MiB limit", "filen är större än gränsen på {1} MiB"},
	{"%d more problems are not shown; fix these first", "{1} problem till visas inte; rätta de här först"},
	{"the file could not be read", "filen gick inte att läsa"},
	{"unknown format %q; use json, csv or radar", "okänt format {1}; använd json, csv eller radar"},
	{"cannot tell the format of %q: the file is empty; give the format as json, csv or radar", "kan inte avgöra formatet för {1}: filen är tom; ange formatet som json, csv eller radar"},
	{"cannot tell the format of %s", "kan inte avgöra formatet för {1}"},
	// JSON.
	{"is not valid UTF-8; save the file as UTF-8", "är inte giltig UTF-8; spara filen som UTF-8"},
	{"unexpected end of file after byte %d: the JSON is truncated", "filen tar slut efter byte {1}: JSON-texten är avkortad"},
	{"invalid JSON: %s", "ogiltig JSON: {1}"},
	{"the JSON has more than %d values; no library is that large", "JSON-texten har fler än {1} värden; inget bibliotek är så stort"},
	{"unknown format tag %q; expected %q", "okänd formatmärkning {1}; förväntade {2}"},
	{"is missing; it must be %q", "saknas; det ska vara {1}"},
	{`must be a JSON object with "format": "waymark.library/v1", not %s`, `måste vara ett JSON-objekt med "format": "waymark.library/v1", inte {1}`},
	{"must be %s, not %s", "måste vara {1}, inte {2}"},
	{"unknown field", "okänt fält"},
	{`unknown language; a text has "en" and "sv"`, `okänt språk; en text har "en" och "sv"`},
	{"appears twice in the same object; give each field once", "förekommer två gånger i samma objekt; ange varje fält en gång"},
	{"must have exactly 5 levels, level 1 first; it has %d", "måste ha exakt 5 nivåer, nivå 1 först; den har {1}"},
	{"is missing; give 5 level descriptors, level 1 first", "saknas; ange 5 nivåbeskrivningar, nivå 1 först"},
	{"has %d trends; at most %d are allowed", "har {1} trender; högst {2} är tillåtna"},
	{"has %d items; at most %d are allowed", "har {1} poster; högst {2} är tillåtna"},
	{"has %d %s; at most %d are allowed", "har {1} {2}; högst {3} är tillåtna"},
	// CSV.
	{`missing column %q or %q: a trend needs a title`, `kolumnen {1} eller {2} saknas: en trend behöver en rubrik`},
	{"missing column %q", "kolumnen {1} saknas"},
	{"unknown column %q", "okänd kolumn {1}"},
	{"column %q appears twice", "kolumnen {1} förekommer två gånger"},
	{"column %d has no name in the header", "kolumn {1} saknar namn i rubrikraden"},
	{"column %d: the header is not valid UTF-8; save the file as UTF-8", "kolumn {1}: rubrikraden är inte giltig UTF-8; spara filen som UTF-8"},
	{"the file has a header but no trend rows", "filen har en rubrikrad men inga trendrader"},
	{"the file has a header but no rows", "filen har en rubrikrad men inga rader"},
	{"the file has %d rows; a library has at most %d trends", "filen har {1} rader; ett bibliotek har högst {2} trender"},
	{`broken quoting at line %d, column %d: a " inside a cell that does not start with one; put the cell in quotes and write the " twice ("")`,
		`trasiga citattecken på rad {1}, kolumn {2}: ett " i en cell som inte börjar med ett; sätt cellen inom citattecken och skriv " två gånger ("")`},
	{`broken quoting at line %d, column %d: a quoted cell goes on after its closing "; write a " inside a quoted cell twice ("")`,
		`trasiga citattecken på rad {1}, kolumn {2}: en citerad cell fortsätter efter sitt avslutande "; skriv ett " inuti en citerad cell två gånger ("")`},
	{`broken quoting: a quoted cell that starts on this row is never closed; a " is missing`, `trasiga citattecken: en citerad cell som börjar på den här raden avslutas aldrig; ett " saknas`},
	{"cannot read this row at line %d, column %d: %s", "kan inte läsa raden på rad {1}, kolumn {2}: {3}"},
	{"cannot read the file as CSV: %s", "kan inte läsa filen som CSV: {1}"},
	{"has %d cells; the header has %d", "har {1} celler; rubrikraden har {2}"},
	{"has %s; the header has %d", "har {1}; rubrikraden har {2}"},
	{"is empty; a trend needs a title in title_en or title_sv", "är tom; en trend behöver en rubrik i title_en eller title_sv"},
	{"item %d has %d parts; write title | url | date", "post {1} har {2} delar; skriv titel | webbadress | datum"},
	{"%q is not a boolean; use true or false", "{1} är inte ett sanningsvärde; använd true eller false"},
	{"%q is not one of New, Moved In, Moved Out, No Change", "{1} är inte något av New, Moved In, Moved Out, No Change"},
	{"language %q is not one of en, sv", "språket {1} är inte något av en, sv"},
	{"default category %q is not one of societal, digital, technology", "standardkategorin {1} är inte någon av societal, digital, technology"},
	// Content rules.
	{"%q is used twice: also on row %d; give the trends different titles or keys", "{1} används två gånger: även på rad {2}; ge trenderna olika rubriker eller nycklar"},
	{"%q is used twice: also on row %d", "{1} används två gånger: även på rad {2}"},
	{"%q is used twice: also at %s", "{1} används två gånger: även vid {2}"},
	{"%q is used twice", "{1} används två gånger"},
	{"%q is listed twice", "{1} står två gånger"},
	{"%q must be lower-case letters, digits and hyphens, at most %d characters", "{1} får bara innehålla gemener, siffror och bindestreck, högst {2} tecken"},
	{"is required in English or Swedish", "krävs på engelska eller svenska"},
	{"is required: societal, digital or technology", "krävs: societal, digital eller technology"},
	{"%q is not one of societal, digital, technology", "{1} är inte någon av societal, digital, technology"},
	{"%q is not a driving force of this library", "{1} är inte en förändringskraft i det här biblioteket"},
	{"%q is not a time horizon of this library", "{1} är inte en tidshorisont i det här biblioteket"},
	{"%q is not a capability area of this library", "{1} är inte ett förmågeområde i det här biblioteket"},
	{"must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link", "måste vara 1 (lite), 2 (tydligt) eller 3 (starkt); utelämna området om det inte finns någon koppling"},
	{"%q is not an http or https address", "{1} är inte en http- eller https-adress"},
	{"%q is not a date like 2024, 2024-05 or 2024-05-17", "{1} är inte ett datum som 2024, 2024-05 eller 2024-05-17"},
	{"%q is not one of new, moved in, moved out, no change", "{1} är inte något av new, moved in, moved out, no change"},
	{"is longer than %d characters", "är längre än {1} tecken"},
	{"has more than %d items", "har fler än {1} poster"},
	{"is not valid UTF-8", "är inte giltig UTF-8"},
	{"is required", "krävs"},
	{"is empty", "är tom"},
	{"is too long", "är för lång"},
	// Workshops.
	{"is not a library version of this organisation", "är inte en biblioteksversion i den här organisationen"},
	{"belongs to another organisation; copy the library first", "tillhör en annan organisation; kopiera biblioteket först"},
	{"is a draft; publish it first, so that it cannot change under the workshop", "är ett utkast; publicera det först, så att det inte kan ändras under workshoppen"},
	{"cannot change once the workshop has opened", "kan inte ändras när workshoppen har öppnat"},
	{"The questions are frozen because answers have been given. Changing them needs the override, which is written to the audit log.", "Frågorna är låsta eftersom svar har lämnats. För att ändra dem krävs åsidosättning, som skrivs i händelseloggen."},
	{"A workshop can only go back one phase.", "En workshop kan bara gå tillbaka en fas."},
	{"A workshop that has started cannot go back to draft.", "En workshop som har startat kan inte bli utkast igen."},
	{"is not a phase", "är inte en fas"},
	{"There is no open workshop with that code. Check the code and try again.", "Det finns ingen öppen workshop med den koden. Kontrollera koden och försök igen."},
	{"This workshop is not open for joining.", "Den här workshoppen går inte att gå med i nu."},
	{"choose your group", "välj din grupp"},
	{"is required in this workshop", "krävs i den här workshoppen"},
	{"Workshop not found.", "Workshoppen hittades inte."},
	{"give at least one answer", "ge minst ett svar"},
	{"The workshop is not taking ratings now.", "Workshoppen tar inte emot bedömningar nu."},
	{"The workshop is not taking positions on the fields of tension now.", "Workshoppen tar inte emot placeringar på spänningsfälten nu."},
	{"The workshop is not taking ideas now.", "Workshoppen tar inte emot idéer nu."},
	{"The workshop is not taking upvotes now.", "Workshoppen tar inte emot gillningar nu."},
	{"The workshop is not taking votes now.", "Workshoppen tar inte emot röster nu."},
	{"%q is not a field of tension of this workshop", "{1} är inte ett spänningsfält i den här workshoppen"},
	{"%q is not a trend of this workshop", "{1} är inte en trend i den här workshoppen"},
	{"%q is not a question of this workshop", "{1} är inte en fråga i den här workshoppen"},
	{"%d is outside the scale %d to %d", "{1} ligger utanför skalan {2} till {3}"},
	{"cannot be negative", "kan inte vara negativt"},
	{"you have %d dots; you placed %d", "du har {1} prickar; du satte {2}"},
	{"choose at least one trend", "välj minst en trend"},
	{"%q is not a trend of the library version", "{1} är inte en trend i biblioteksversionen"},
	{"%q is not a field of tension of the library version", "{1} är inte ett spänningsfält i biblioteksversionen"},
	{"choose at least one question", "välj minst en fråga"},
	{"the scale must have 2 to 11 values", "skalan måste ha 2 till 11 värden"},
	{"has %d labels for %d values", "har {1} etiketter för {2} värden"},
	{"give at least one participant group", "ange minst en deltagargrupp"},
	{"must be live or async", "måste vara live eller async"},
	{"an asynchronous round needs an opening and a closing time", "en period behöver en öppnings- och en stängningstid"},
	{"must be after the opening time", "måste vara efter öppningstiden"},
	{"must be between 1 and %d", "måste vara mellan 1 och {1}"},
	// Workshops: what participants' screens may show.
	{"%q is not a value of this question", "{1} är inte ett värde för den här frågan"},
	{"%q is not a whole number", "{1} är inte ett heltal"},
	{"Idea not found.", "Idén hittades inte."},
	{"Participant not found.", "Deltagaren hittades inte."},
	{"The idea has been hidden by the facilitator.", "Idén har dolts av workshopledaren."},
	{"An idea needs a text of at most %d characters.", "En idé behöver en text på högst {1} tecken."},
	{"A number of dots cannot be negative.", "Ett antal prickar kan inte vara negativt."},
	{"You have %d dots to place and placed %d.", "Du har {1} prickar att sätta och satte {2}."},
	{"A dot is placed on an idea that is not in this workshop.", "En prick sitter på en idé som inte finns i den här workshoppen."},
	{"A dot is placed on an idea the facilitator has hidden.", "En prick sitter på en idé som workshopledaren har dolt."},
	// Storage.
	{"An answer needs a workshop, a participant, a trend and a question.", "Ett svar behöver en workshop, en deltagare, en trend och en fråga."},
	{"Workshop or participant not found.", "Workshoppen eller deltagaren hittades inte."},
	{"A position must be between %d and %d.", "En placering måste vara mellan {1} och {2}."},
	{"A position needs a field of tension.", "En placering behöver ett spänningsfält."},
	{"Library version not found.", "Biblioteksversionen hittades inte."},
	{"Unknown version status %q.", "Okänd versionsstatus {1}."},
	{"Unknown visibility %q.", "Okänd synlighet {1}."},
	{"The library already has a draft.", "Biblioteket har redan ett utkast."},
	{"The library cannot be deleted: it is used by a workshop. Delete the workshop first.", "Biblioteket kan inte raderas: det används av en workshop. Radera workshoppen först."},
	{"The library cannot be deleted: it is used by %d workshops. Delete them first.", "Biblioteket kan inte raderas: det används av {1} workshoppar. Radera dem först."},
	{"The library already has a draft; edit or delete it first.", "Biblioteket har redan ett utkast; redigera eller radera det först."},
	{"The version is published and cannot change; start a new draft.", "Versionen är publicerad och kan inte ändras; starta ett nytt utkast."},
	{"The version is already published.", "Versionen är redan publicerad."},
	{"The first version of a library cannot be deleted; delete the library instead.", "Den första versionen av ett bibliotek kan inte raderas; radera biblioteket i stället."},
	{"An organisation with the address %q already exists.", "En organisation med adressen {1} finns redan."},
	{"Organisation not found.", "Organisationen hittades inte."},
	{"Unknown role %q.", "Okänd roll {1}."},
	{"User not found.", "Användaren hittades inte."},
	{"An organisation must keep at least one owner.", "En organisation måste ha kvar minst en ägare."},
	{"Membership not found.", "Medlemskapet hittades inte."},
	{"Invitation not found.", "Inbjudan hittades inte."},
	{"The invitation token is already in use.", "Inbjudningsnyckeln används redan."},
	{"Organisation or user not found.", "Organisationen eller användaren hittades inte."},
	{"The invitation has already been accepted.", "Inbjudan har redan accepterats."},
	{"The invitation has already been used.", "Inbjudan har redan använts."},
	{"The invitation has expired.", "Inbjudan har gått ut."},
	{"An account with the email address %q already exists.", "Det finns redan ett konto med e-postadressen {1}."},
	{"API token not found.", "API-nyckeln hittades inte."},
	{"The token is already in use.", "Nyckeln används redan."},
	{"The join code %s is in use by another open workshop.", "Anslutningskoden {1} används av en annan öppen workshop."},
	{"A workshop needs a published library version; publish the draft first.", "En workshop behöver en publicerad biblioteksversion; publicera utkastet först."},
	{"Unknown phase %q.", "Okänd fas {1}."},
	{"A workshop needs a join code.", "En workshop behöver en anslutningskod."},
	{"Organisation, user or library version not found.", "Organisationen, användaren eller biblioteksversionen hittades inte."},
	{"The questions are frozen because answers have been given; changing them needs an explicit override.", "Frågorna är låsta eftersom svar har lämnats; för att ändra dem krävs en uttrycklig åsidosättning."},
	{"The library version cannot change once the workshop has opened.", "Biblioteksversionen kan inte ändras när workshoppen har öppnat."},
	{"Another open workshop uses this workshop's join code now; the workshop cannot reopen.", "En annan öppen workshop använder nu den här workshoppens kod; workshoppen kan inte öppnas igen."},
	{"The workshop has moved on to the %s phase meanwhile; reload and try again.", "Workshoppen har under tiden gått vidare till fasen {1}; ladda om och försök igen."},
	{"A participant needs a token.", "En deltagare behöver en nyckel."},
	{"The participant token is already in use.", "Deltagarnyckeln används redan."},
	// Accounts and organisations.
	{"is not a valid email address", "är inte en giltig e-postadress"},
	{"already has an account", "har redan ett konto"},
	{"must be at least %d characters", "måste vara minst {1} tecken"},
	{"must be at most %d characters", "får vara högst {1} tecken"},
	{"is not right", "stämmer inte"},
	{"%q is already taken", "{1} är redan upptaget"},
	{"must be lower-case letters, digits and hyphens", "får bara innehålla gemener, siffror och bindestreck"},
	{"must be one of municipality, region, hospital_trust, police, fire_rescue, housing, voluntary, association, other", "måste vara en av municipality, region, hospital_trust, police, fire_rescue, housing, voluntary, association, other"},
	{"must be a two-letter country code such as SE or GB", "måste vara en landskod med två bokstäver, till exempel SE eller GB"},
	{"must be small, medium or large", "måste vara small, medium eller large"},
	{"must be owner, facilitator, analyst or viewer", "måste vara owner, facilitator, analyst eller viewer"},
	{"must be public or private", "måste vara public eller private"},
	{"must be en or sv", "måste vara en eller sv"},
	{"The email address or password is not right.", "E-postadressen eller lösenordet stämmer inte."},
	{"Too many failed attempts for this account. Try again in %d seconds.", "För många misslyckade försök för det här kontot. Försök igen om {1} sekunder."},
	{"This invitation has already been used.", "Inbjudan har redan använts."},
	{"This invitation has expired. Ask for a new one.", "Inbjudan har gått ut. Be om en ny."},
	{"An organisation needs at least one owner: make someone else owner first.", "En organisation behöver minst en ägare: gör någon annan till ägare först."},
	{"Only owners can read the audit log.", "Bara ägare kan läsa händelseloggen."},
	// Libraries.
	{"Your role does not allow you to %s.", "Din roll tillåter dig inte att {1}."},
	{"Version %d is published and never changes. Start a new draft to edit.", "Version {1} är publicerad och ändras aldrig. Starta ett nytt utkast för att redigera."},
	{"Start a new draft before editing: published versions never change.", "Starta ett nytt utkast innan du redigerar: publicerade versioner ändras aldrig."},
	{"There is no draft to publish.", "Det finns inget utkast att publicera."},
	{"There is no draft to discard.", "Det finns inget utkast att slänga."},
	{"This library has no published version to copy yet.", "Biblioteket har ingen publicerad version att kopiera än."},
	{"This library has no published version yet.", "Biblioteket har ingen publicerad version än."},
	{"The two versions belong to different libraries.", "De två versionerna tillhör olika bibliotek."},
	{"There is no %s %q in this version.", "Det finns ingen {1} {2} i den här versionen."},
	{"The form could not be read.", "Formuläret gick inte att läsa."},
	{"item %d: url %q is not an http or https address", "post {1}: webbadressen {2} är inte en http- eller https-adress"},
	{"item %d: date %q is not a date like 2024, 2024-05 or 2024-05-17", "post {1}: datumet {2} är inte ett datum som 2024, 2024-05 eller 2024-05-17"},
	{"The API token is not valid.", "API-nyckeln är inte giltig."},
	{"There is no such version.", "Det finns ingen sådan version."},
	{"There is no starter library %q.", "Det finns inget startbibliotek {1}."},
	{"The library has no versions.", "Biblioteket har inga versioner."},
	{"Page not found.", "Sidan hittades inte."},
	{"Library not found.", "Biblioteket hittades inte."},
	{"Sign in to continue.", "Logga in för att fortsätta."},
	{"Unknown language.", "Okänt språk."},
	// Capability assessment.
	{"assess at least one capability area", "bedöm minst ett förmågeområde"},
	{"%q is not a capability area of the library version", "{1} är inte ett förmågeområde i biblioteksversionen"},
	{"must be between %d and %d", "måste vara mellan {1} och {2}"},
	{"%q → %q is listed twice", "{1} → {2} står två gånger"},
	{"is a draft; publish it first, so that it cannot change", "är ett utkast; publicera det först, så att det inte kan ändras"},
	{"is not an assessment round of this organisation", "är inte en bedömningsomgång i den här organisationen"},
	{"has no capability areas to assess", "har inga förmågeområden att bedöma"},
	{"Assessments are recorded by a signed-in person.", "Bedömningar görs av en inloggad person."},
	{"Assessment round not found.", "Bedömningsomgången hittades inte."},
	{"An assessment round needs a published library version; publish the draft first.", "En bedömningsomgång behöver en publicerad biblioteksversion; publicera utkastet först."},
	{"The library cannot be deleted: a capability assessment or the portfolio uses it. Delete the assessment or choose another library version for the portfolio first.",
		"Biblioteket kan inte raderas: en förmågebedömning eller portföljen använder det. Radera bedömningen eller välj en annan biblioteksversion för portföljen först."},
	// Portfolio: settings and initiatives.
	{"%q is not a number of FTE with at most two decimals.", "{1} är inte ett antal årsarbetskrafter med högst två decimaler."},
	{"must be a three-letter currency code such as SEK, GBP or EUR", "måste vara en valutakod med tre bokstäver, till exempel SEK, GBP eller EUR"},
	{"give at least one benefit criterion", "ange minst ett nyttokriterium"},
	{"must be a number between 0 and %d", "måste vara ett tal mellan 0 och {1}"},
	{"choose the portfolio's library version in the portfolio settings first", "välj först portföljens biblioteksversion i portföljens inställningar"},
	{"%q is not a trend of the portfolio's library version", "{1} är inte en trend i portföljens biblioteksversion"},
	{"%q is not a capability area of the portfolio's library version", "{1} är inte ett förmågeområde i portföljens biblioteksversion"},
	{"must be at most %d FTE", "får vara högst {1} årsarbetskrafter"},
	{"must be at most %d", "får vara högst {1}"},
	{"must be a year between %d and %d", "måste vara ett år mellan {1} och {2}"},
	{"must not be before the earliest start year", "får inte vara före det tidigaste startåret"},
	{"an initiative cannot depend on itself", "ett initiativ kan inte vara beroende av sig självt"},
	{"is not an initiative of this organisation", "är inte ett initiativ i den här organisationen"},
	{"%q is in the same mutually exclusive group, so the two can never both be chosen", "{1} är i samma grupp av alternativ som utesluter varandra, så de två kan aldrig väljas båda"},
	{"%q depends on this initiative and is in the same group, so the two can never both be chosen", "{1} är beroende av det här initiativet och är i samma grupp, så de två kan aldrig väljas båda"},
	{"makes a cycle: %s", "ger en cirkel av beroenden: {1}"},
	{"%q is not a benefit criterion of this organisation", "{1} är inte ett nyttokriterium i den här organisationen"},
	{"must be low, medium or high", "måste vara low, medium eller high"},
	{"must be proposed, approved, in_progress, done or stopped", "måste vara proposed, approved, in_progress, done eller stopped"},
	{"must be red, amber or green", "måste vara red, amber eller green"},
	{"%q is not a date like 2026-05-17", "{1} är inte ett datum som 2026-05-17"},
	{"the initiative %q links the trend %q, which this version does not have", "initiativet {1} är kopplat till trenden {2}, som den här versionen inte har"},
	{"the initiative %q builds the capability area %q, which this version does not have", "initiativet {1} bygger förmågeområdet {2}, som den här versionen inte har"},
	{"The portfolio needs a published library version; publish the draft first.", "Portföljen behöver en publicerad biblioteksversion; publicera utkastet först."},
	{"Initiative not found.", "Initiativet hittades inte."},
	{"An initiative with the title %q already exists.", "Det finns redan ett initiativ med rubriken {1}."},
	{"An organisation can have at most %d initiatives.", "En organisation kan ha högst {1} initiativ."},
	{"The initiative has been changed by someone else meanwhile; reload it and make your changes again.", "Initiativet har ändrats av någon annan under tiden; ladda om det och gör dina ändringar igen."},
	{"The initiative cannot be deleted: %q depends on it. Remove that dependency first.", "Initiativet kan inte raderas: {1} är beroende av det. Ta bort det beroendet först."},
	{"The initiative cannot be deleted: %d initiatives depend on it. Remove those dependencies first.", "Initiativet kan inte raderas: {1} initiativ är beroende av det. Ta bort de beroendena först."},
	// Portfolio: scenarios.
	{"must not be before the first year", "får inte vara före det första året"},
	{"the planning horizon can be at most %d years", "planeringshorisonten kan vara högst {1} år"},
	{"is outside the planning horizon %d–%d", "ligger utanför planeringshorisonten {1}–{2}"},
	{"must be in or out", "måste vara in eller out"},
	{"choose the workshop whose trend priorities scale the value", "välj den workshop vars trendprioriteringar ska skala värdet"},
	{"is not a workshop of this organisation", "är inte en workshop i den här organisationen"},
	{"Scenario not found.", "Scenariot hittades inte."},
	{"A scenario with the name %q already exists.", "Det finns redan ett scenario med namnet {1}."},
	{"Organisation, user or workshop not found.", "Organisationen, användaren eller workshoppen hittades inte."},
	{"The scenario has been changed by someone else meanwhile; reload it and make your changes again.", "Scenariot har ändrats av någon annan under tiden; ladda om det och gör dina ändringar igen."},
	{"A scenario result cannot be empty.", "Ett scenarioresultat kan inte vara tomt."},
	{"The scenario has been changed since it was optimised; optimise it again.", "Scenariot har ändrats sedan det optimerades; optimera det igen."},
	// Why an initiative is left out of a scenario (service.Exclusion), and
	// an initiative forced in that cannot be in any plan.
	{"it is done", "det är klart"},
	{"it is stopped", "det är stoppat"},
	{"it cannot start and finish within the planning horizon %d–%d", "det kan inte starta och bli klart inom planeringshorisonten {1}–{2}"},
	{"it depends on %q, which cannot be in the plan", "det är beroende av {1}, som inte kan ingå i planen"},
	{"%q is forced in, but it is done", "{1} är tvingat in, men det är klart"},
	{"%q is forced in, but it is stopped", "{1} är tvingat in, men det är stoppat"},
	{"%q is forced in, but it cannot start and finish within the planning horizon %d–%d", "{1} är tvingat in, men det kan inte starta och bli klart inom planeringshorisonten {2}–{3}"},
	{"%q is forced in, but it depends on %q, which cannot be in the plan", "{1} är tvingat in, men det är beroende av {2}, som inte kan ingå i planen"},
	// The optimiser's own reasons (internal/portfolio), with initiatives
	// named by their titles.
	{"is forced out", "är tvingat ut"},
	{"cannot finish within the horizon: it lasts %d years and cannot start before %d", "hinner inte bli klart inom planeringshorisonten: det pågår i {1} år och kan inte starta före {2}"},
	{"is over a yearly cap on its own in every year it could start", "går ensamt över ett årligt tak varje år det skulle kunna starta"},
	{"is mutually exclusive with %s (group %s), which is forced in", "utesluter {1} (gruppen {2}), som är tvingat in"},
	{"depends on %s, which is in the same mutually exclusive group %s", "är beroende av {1}, som är i samma grupp av alternativ, {2}"},
	{"cannot be scheduled after what it depends on and before what depends on it within the horizon", "går inte att lägga efter det som det är beroende av och före det som är beroende av det inom planeringshorisonten"},
	{"%s are all forced in (directly or as dependencies) but are mutually exclusive in group %s", "{1} är alla tvingade in (direkt eller som beroenden) men utesluter varandra i gruppen {2}"},
	{"no plan includes all the forced-in initiatives (%s, and what they depend on) within the caps, dependencies and start windows", "ingen plan rymmer alla initiativ som är tvingade in ({1}, och det de är beroende av) inom taken, beroendena och startfönstren"},
	// Reasons that wrap another reason (after the more specific ones above).
	{"depends on %s, which %s", "är beroende av {1}, som {2}"},
	{"%s is forced in but %s", "{1} är tvingat in men {2}"},
}

// Parts that appear inside messages and are translated on their own.
var messagePhrases = map[string]string{
	"a string": "en sträng", "a number": "ett tal", "a whole number": "ett heltal", "an object": "ett objekt",
	"an array": "en lista", "true or false": "true eller false", "null": "null", "a text": "en text",
	"an array of texts": "en lista med texter", "an array of strings": "en lista med strängar",
	"a level 1, 2 or 3": "en nivå 1, 2 eller 3", "an object of capability areas and levels like {\"data-sharing\": 3}": "ett objekt med förmågeområden och nivåer som {\"data-sharing\": 3}",
	"an array of objects": "en lista med objekt", "an object of texts like {\"en\": \"…\", \"sv\": \"…\"}": "ett textobjekt som {\"en\": \"…\", \"sv\": \"…\"}",
	"trend": "trend", "driving force": "förändringskraft", "field of tension": "spänningsfält", "capability area": "förmågeområde", "horizon": "tidshorisont",
	"edit libraries": "redigera bibliotek", "import libraries": "importera bibliotek", "install libraries": "installera bibliotek",
	"copy libraries": "kopiera bibliotek", "publish libraries": "publicera bibliotek", "share libraries": "dela bibliotek",
	"delete libraries": "radera bibliotek", "create workshops": "skapa workshoppar", "edit workshops": "redigera workshoppar",
	"run workshops": "leda workshoppar", "delete workshops": "radera workshoppar", "moderate ideas": "moderera idéer", "manage members": "hantera medlemmar", "invite members": "bjuda in medlemmar",
	"manage invitations": "hantera inbjudningar", "change the organisation's details": "ändra organisationens uppgifter",
	"create API tokens without an account":               "skapa API-nycklar utan konto",
	"edit capability assessments":                        "redigera förmågebedömningar",
	"assess capabilities":                                "bedöma förmågor",
	"edit the portfolio":                                 "redigera portföljen",
	"optimise scenarios":                                 "optimera scenarier",
	"edit another organisation's library; copy it first": "redigera en annan organisations bibliotek; kopiera det först",
}

type messagePattern struct {
	re *regexp.Regexp
	sv string
}

var messagePatterns = compileMessages()

func compileMessages() []messagePattern {
	verb := regexp.MustCompile(`%[qds]`)
	out := make([]messagePattern, 0, len(messageTable))
	for _, m := range messageTable {
		var b strings.Builder
		b.WriteString("^")
		last := 0
		for _, loc := range verb.FindAllStringIndex(m.en, -1) {
			b.WriteString(regexp.QuoteMeta(m.en[last:loc[0]]))
			switch m.en[loc[0]+1] {
			case 'q':
				b.WriteString(`("(?:[^"\\]|\\.)*")`)
			case 'd':
				b.WriteString(`(-?\d+)`)
			default:
				b.WriteString(`(.+?)`)
			}
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(m.en[last:]))
		b.WriteString("$")
		out = append(out, messagePattern{re: regexp.MustCompile(b.String()), sv: m.sv})
	}
	return out
}

// Message returns an English message from the domain, the service or an
// importer in lang. Messages without a translation come back unchanged.
func (c *Catalog) Message(lang, msg string) string {
	if lang != "sv" || msg == "" {
		return msg
	}
	s, _ := translateMessage(msg)
	return s
}

// translateMessage returns the Swedish message and whether a pattern matched.
func translateMessage(msg string) (string, bool) {
	for _, p := range messagePatterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		out := p.sv
		for i := len(m) - 1; i >= 1; i-- {
			part := m[i]
			if sv, ok := messagePhrases[part]; ok {
				part = sv
			} else if !strings.HasPrefix(part, `"`) {
				// A message inside a message ("depends on X, which is
				// forced out") is translated too.
				part, _ = translateMessage(part)
			}
			out = strings.ReplaceAll(out, "{"+itoa(i)+"}", part)
		}
		return out, true
	}
	return msg, false
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return string(rune('0'+i/10)) + string(rune('0'+i%10))
}
