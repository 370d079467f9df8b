//! Svenska (Swedish).

use super::Texts;
use crate::core::bulk::MAX_PER_REQUEST;
use crate::core::policy::Violation;
use crate::core::strength::{Suggestion, Warning};

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn crack_time(seconds: f64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86400.0;
    const MONTH: f64 = DAY * 31.0;
    const YEAR: f64 = MONTH * 12.0;
    match seconds {
        s if s < 1.0 => "mindre än en sekund".into(),
        s if s < MINUTE => count(s as u64, "sekund", "sekunder"),
        s if s < HOUR => count((s / MINUTE) as u64, "minut", "minuter"),
        s if s < DAY => count((s / HOUR) as u64, "timme", "timmar"),
        s if s < MONTH => count((s / DAY) as u64, "dag", "dagar"),
        s if s < YEAR => count((s / MONTH) as u64, "månad", "månader"),
        s if s < YEAR * 100.0 => count((s / YEAR) as u64, "år", "år"),
        _ => "århundraden".into(),
    }
}

const SCORES: [&str; 5] = [
    "Mycket svagt",
    "Svagt",
    "Godtagbart",
    "Starkt",
    "Mycket starkt",
];

fn violation(v: &Violation) -> String {
    match v {
        Violation::Empty => "Ange ett lösenord.".into(),
        Violation::TooShort { min } => format!("Använd minst {min} tecken."),
        Violation::TooLong { max } => format!("Använd högst {max} tecken."),
        Violation::TooWeak { min_score, .. } => format!(
            "För lätt att gissa: styrkan måste vara minst {} (\"{}\").",
            min_score, SCORES[*min_score as usize]
        ),
        Violation::StrengthPending => "Kontrollerar styrkan…".into(),
        Violation::ContainsUserInfo => {
            "Använd inte användarens namn, användar-ID eller e-postadress i lösenordet.".into()
        }
        Violation::TooFewClasses { required } => {
            format!("Använd minst {required} av dessa: små bokstäver, stora bokstäver, siffror, symboler.")
        }
        Violation::OnBlocklist => "Lösenordet finns på organisationens lista över förbjudna lösenord.".into(),
        Violation::BlocklistPending => "Kontrollerar organisationens lista över förbjudna lösenord…".into(),
        Violation::BlocklistUnavailable => {
            "Organisationens lista över förbjudna lösenord kunde inte läsas in, så ett eget lösenord kan inte kontrolleras. Använd ett genererat lösenord.".into()
        }
        Violation::ControlCharacters => {
            "Ta bort osynliga tecken och styrtecken (till exempel tabbar eller textriktningstecken).".into()
        }
        Violation::DirectoryRefused => {
            "Katalogen godtog inte lösenordet: det uppfyller inte dess krav på komplexitet eller historik.".into()
        }
    }
}

fn warning(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => "Raka tangentrader är lätta att gissa.",
        Warning::ShortKeyboardPatternsAreEasyToGuess => {
            "Korta tangentbordsmönster är lätta att gissa."
        }
        Warning::RepeatsLikeAaaAreEasyToGuess => "Upprepningar som \"aaa\" är lätta att gissa.",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "Upprepningar som \"abcabcabc\" är bara lite svårare att gissa än \"abc\"."
        }
        Warning::ThisIsATop10Password => "Det här är ett av de tio vanligaste lösenorden.",
        Warning::ThisIsATop100Password => "Det här är ett av de hundra vanligaste lösenorden.",
        Warning::ThisIsACommonPassword => "Det här är ett mycket vanligt lösenord.",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "Det här liknar ett vanligt lösenord.",
        Warning::SequencesLikeAbcAreEasyToGuess => {
            "Sekvenser som \"abc\" eller \"6543\" är lätta att gissa."
        }
        Warning::RecentYearsAreEasyToGuess => "Årtal från senare år är lätta att gissa.",
        Warning::AWordByItselfIsEasyToGuess => "Ett ensamt ord är lätt att gissa.",
        Warning::DatesAreOftenEasyToGuess => "Datum är ofta lätta att gissa.",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => {
            "Förnamn och efternamn för sig själva är lätta att gissa."
        }
        Warning::CommonNamesAndSurnamesAreEasyToGuess => {
            "Vanliga förnamn och efternamn är lätta att gissa."
        }
    }
}

fn suggestion(s: Suggestion) -> &'static str {
    match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => "Använd några ord och undvik vanliga fraser.",
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
            "Symboler, siffror och versaler behövs inte."
        }
        Suggestion::AddAnotherWordOrTwo => {
            "Lägg till ett eller två ord till. Ovanliga ord är bättre."
        }
        Suggestion::CapitalizationDoesntHelpVeryMuch => {
            "Stor begynnelsebokstav hjälper inte mycket."
        }
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "Bara versaler är nästan lika lätt att gissa som bara gemener."
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => {
            "Baklänges stavade ord är inte mycket svårare att gissa."
        }
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "Förutsägbara utbyten som \"@\" i stället för \"a\" hjälper inte mycket."
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
            "Använd ett längre tangentbordsmönster med fler svängar."
        }
        Suggestion::AvoidRepeatedWordsAndCharacters => "Undvik upprepade ord och tecken.",
        Suggestion::AvoidSequences => "Undvik sekvenser.",
        Suggestion::AvoidRecentYears => "Undvik årtal från senare år.",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => {
            "Undvik årtal som hör ihop med användaren."
        }
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
            "Undvik datum och årtal som hör ihop med användaren."
        }
    }
}

pub static TEXTS: Texts = Texts {
    lang: "sv",
    dialog_title: "Återställ lösenord",
    step_names: ["Lösenord", "Styrka", "Leverans"],
    step_of: |n, of| format!("Steg {n} av {of}"),
    auto_generate: "Generera ett lösenord automatiskt",
    let_me_create: "Låt mig skapa lösenordet",
    new_password: "Nytt lösenord",
    show_password: "Visa lösenord",
    hide_password: "Dölj lösenord",
    generate_another: "Generera ett annat lösenord",
    copy_password: "Kopiera lösenord",
    copied: "Kopierat till urklipp.",
    copy_failed: "Det gick inte att kopiera: markera lösenordet och kopiera det själv.",
    password_strength: "Lösenordets styrka",
    score_names: SCORES,
    checking: "Kontrollerar…",
    estimator_failed: "Styrkekontrollen kunde inte läsas in. Försök igen eller använd ett genererat lösenord.",
    entropy_bits: |bits| format!("{bits:.0} bitars entropi"),
    crack_time,
    policy_heading: "Krav på lösenordet",
    policy_summary: |min_length, min_score| {
        format!(
            "Minst {min_length} tecken, styrka minst \"{}\", inte användarens namn, ID eller e-postadress.",
            SCORES[min_score as usize]
        )
    },
    policy_met: "Lösenordet uppfyller kraven.",
    truncated_note: |n| format!("Bara de första {n} tecknen analyserades."),
    email_to: "Skicka det nya lösenordet med e-post till",
    email_hint: "Skilj flera adresser åt med kommatecken eller semikolon.",
    bad_address: |a| format!("\"{a}\" är inte en giltig e-postadress."),
    force_change: "Kräv att användaren ändrar sitt lösenord första gången hen loggar in",
    summary_heading: "Sammanfattning",
    summary_user: |name, id| if name.is_empty() { format!("Användare: {id}") } else { format!("Användare: {name} ({id})") },
    summary_generated: "Lösenord: genererat automatiskt",
    summary_custom: "Lösenord: skapat av dig",
    summary_delivery: |to| {
        if to.is_empty() {
            "Det nya lösenordet skickas inte med e-post.".into()
        } else {
            format!("Det nya lösenordet skickas med e-post till {}.", to.join(", "))
        }
    },
    summary_force: |on| {
        if on {
            "Användaren måste byta lösenord vid första inloggningen.".into()
        } else {
            "Användaren kan behålla lösenordet.".into()
        }
    },
    next: "Nästa",
    back: "Tillbaka",
    reset_password: "Återställ lösenord",
    resetting: "Återställer…",
    retry: "Försök igen",
    retry_in: |s| format!("Försök igen om {s} s"),
    failure_session: "Din session har gått ut eller så är du inte inloggad. Logga in igen i en annan flik och tryck sedan på Försök igen: inget här går förlorat.",
    failure_forbidden: "Du har inte behörighet att återställa det här lösenordet, eller så nekades begäran av säkerhetsskäl. Inget har återställts.",
    failure_nothing_reset: "Inget har återställts.",
    done_heading: "Lösenordet har återställts",
    done_text: |who| format!("Lösenordet för {who} har återställts."),
    delivery_status: |status| match status {
        "sent" => "Det nya lösenordet har skickats med e-post.".into(),
        "queued" => "E-postmeddelandet med det nya lösenordet står i kö.".into(),
        _ => "E-postmeddelandet med det nya lösenordet kunde inte skickas.".into(),
    },
    reset_another: "Klar",
    failure_unknown_outcome: "Återställningen kan ha genomförts eller inte. Försök igen med samma lösenord: ett nytt försök återställer aldrig två gånger.",
    failure_network: "Det gick inte att nå servern.",
    failure_timeout: "Servern svarade inte i tid.",
    failure_bad_response: |status| format!("Servern skickade ett svar som widgeten inte förstår (HTTP {status})."),
    failure_status: |status| format!("Servern avvisade återställningen (HTTP {status})."),
    config_error_heading: "Widgeten för lösenordsåterställning är inte rätt konfigurerad",
    bulk_title: "Återställ lösenord",
    bulk_step_names: ["Användare", "Leverans", "Resultat"],
    selected_count: |n, total| format!("{n} av {total} användare har valts"),
    self_excluded: "Du kan inte återställa ditt eget lösenord samtidigt som alla andras.",
    select_all: "Välj alla",
    select_none: "Avmarkera alla",
    bulk_generated_note: "Varje användare får ett eget automatiskt genererat lösenord.",
    bulk_delivery: |to| {
        if to.is_empty() {
            "De tillfälliga lösenorden skickas inte med e-post: kopiera eller ladda ned dem efter återställningen.".into()
        } else {
            format!("De tillfälliga lösenorden skickas med e-post till {}, i ett meddelande per grupp om högst {MAX_PER_REQUEST} användare.", to.join(", "))
        }
    },
    progress: |done, total| format!("Återställer {done} av {total}…"),
    bulk_done: |reset, total| format!("{reset} av {total} lösenord har återställts."),
    col_user: "Användare",
    col_status: "Status",
    col_password: "Lösenord",
    status_ready: "Väntar",
    status_sending: "Skickar…",
    status_reset: "Återställt",
    status_failed: "Misslyckades",
    status_unknown: "Okänt: tryck på Försök igen",
    show_password_for: |who| format!("Visa lösenord för {who}"),
    hide_password_for: |who| format!("Dölj lösenord för {who}"),
    copy_password_for: |who| format!("Kopiera lösenord för {who}"),
    copy_all: "Kopiera alla",
    download_csv: "Ladda ned CSV",
    retry_failed: "Försök igen för misslyckade användare",
    bulk_choice_legend: "Vad som ska hända med deras lösenord",
    bulk_reset_choice: "Återställ deras lösenord",
    bulk_keep_choice: "Behåll deras lösenord och kräv byte vid nästa inloggning",
    summary_kept: "Lösenord: behålls; varje användare måste byta sitt vid nästa inloggning.",
    status_required: "Måste byta vid nästa inloggning",
    require_change: "Kräv lösenordsbyte",
    bulk_notice_delivery: |to| if to.is_empty() { "Inget e-postmeddelande skickas.".into() } else { format!("En lista över användarna skickas till {}.", to.join(", ")) },
    bulk_required_done: |n, total| format!("{n} av {total} användare måste byta lösenord vid nästa inloggning."),
    change_title: "Byt lösenord",
    temporary_note: "Du loggade in med ett tillfälligt lösenord. Välj ett nytt lösenord för att fortsätta.",
    current_password: "Nuvarande lösenord",
    temporary_password: "Tillfälligt lösenord",
    confirm_password: "Bekräfta nytt lösenord",
    suggest_password: "Föreslå ett lösenord",
    passwords_differ: "De två nya lösenorden stämmer inte överens.",
    change_password: "Byt lösenord",
    changing: "Byter…",
    changed_heading: "Lösenordet har bytts",
    changed_text: "Ditt lösenord har bytts. Använd det nya från och med nu.",
    failure_nothing_changed: "Ditt lösenord har inte bytts.",
    failure_change_unknown_outcome: "Bytet kan ha genomförts eller inte. Försök igen med samma lösenord: ett nytt försök byter aldrig två gånger.",
    recover_title: "Återställ ditt lösenord",
    login_label: "Användarnamn eller e-post",
    send_code: "Skicka kod",
    sending: "Skickar…",
    code_sent: "Om ett konto matchar har en kod skickats till dess alternativa e-postadress.",
    code_label: "Verifieringskod",
    verify: "Verifiera",
    verifying: "Verifierar…",
    send_new_code: "Skicka en ny kod",
    recovered_text: "Ditt lösenord har återställts. Logga in med ditt nya lösenord.",
    failure_nothing_recovered: "Ditt lösenord har inte återställts.",
    recover_step_names: ["Konto", "Kod", "Nytt lösenord"],
    send_new_code_in: |s| format!("Skicka en ny kod om {s} s"),
    step_up_heading: "Bekräfta att det är du",
    step_up_text: "Du återställer lösenordet för en administratör. Ange ditt eget lösenord för att fortsätta.",
    step_up_password: "Ditt lösenord",
    step_up_confirm: "Bekräfta",
    step_up_confirming: "Bekräftar…",
    step_up_failed: "Ditt lösenord bekräftades inte, och inget lösenord återställdes.",
    cancel: "Avbryt",
    violation,
    warning,
    suggestion,
};
