//! `player_lookup`: the one key a player is joined on across NBA.com, ESPN and sportsbooks.
//!
//! Sources disagree on accents ("Dončić"/"Doncic"), punctuation ("P.J."/"PJ"), suffixes
//! ("Jr.", "III") and first names ("Herb"/"Herbert"). The normal form removes the first three
//! mechanically; the alias table fixes the last, mapping each known variant to NBA.com's name.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Generational suffixes dropped when they end a multi-word name.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Known variant spellings (already normalized) → NBA.com's spelling (normalized). Found by
/// comparing sportsbook names with NBA.com box scores over 2023-24 and 2024-25; each value is a
/// fixed point (never itself a key), which keeps `player_lookup` idempotent.
const ALIASES: &[(&str, &str)] = &[
    ("nicolasclaxton", "nicclaxton"),
    ("herbjones", "herbertjones"),
    ("moewagner", "moritzwagner"),
    ("ronholland", "ronaldholland"),
    ("carltoncarrington", "bubcarrington"),
    ("camjohnson", "cameronjohnson"),
    ("joshuagiddey", "joshgiddey"),
    ("mohamedbamba", "mobamba"),
    ("obadiahtoppin", "obitoppin"),
    ("vincentwilliams", "vincewilliams"),
    ("alfredjoelhorfordreynoso", "alhorford"),
    ("christianjamesmccollum", "cjmccollum"),
    ("edricefemiadebayo", "bamadebayo"),
    // Initial-only spellings some books use for players whose surname is otherwise unique.
    ("gantetokounmpo", "giannisantetokounmpo"),
    ("sgilgeousalexander", "shaigilgeousalexander"),
    ("kcaldwellpope", "kentaviouscaldwellpope"),
    ("jisaac", "jonathanisaac"),
    // Surname-first spellings seen in sportsbook feeds.
    ("caldwellpopekentavious", "kentaviouscaldwellpope"),
    ("grantjerami", "jeramigrant"),
    ("huerterkevin", "kevinhuerter"),
    ("murraydejounte", "dejountemurray"),
    ("wembanyamavictor", "victorwembanyama"),
];

/// Latin letters that NFKD does not decompose into a base letter plus a mark.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'đ' | 'ð' => "d",
        'ø' => "o",
        'ł' => "l",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// The normal form without aliases: NFKD, marks stripped, lowercase, a trailing generational
/// suffix dropped, only `[a-z0-9]` kept.
pub fn normalize_name(name: &str) -> String {
    let folded: String = name.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    let mut words: Vec<String> = folded
        .split_whitespace()
        .map(|w| {
            let mut out = String::with_capacity(w.len());
            for c in w.chars() {
                if let Some(t) = transliterate(c) {
                    out.push_str(t);
                } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
                    out.push(c);
                }
            }
            out
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(&w.as_str())) {
        words.pop();
    }
    words.concat()
}

/// The canonical player key ("Luka Dončić" → `lukadoncic`, "Herb Jones" → `herbertjones`).
/// Empty when the name has no usable letters; callers count that as unresolved.
pub fn player_lookup(name: &str) -> String {
    let key = normalize_name(name);
    match ALIASES.iter().find(|(k, _)| *k == key) {
        Some((_, canonical)) => (*canonical).to_string(),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normal_form() {
        let cases = [
            ("Luka Dončić", "lukadoncic"),
            ("Nikola Jokić", "nikolajokic"),
            ("Kristaps Porziņģis", "kristapsporzingis"),
            ("Dennis Schröder", "dennisschroder"),
            ("Jusuf Nurkić", "jusufnurkic"),
            ("Kelly Oubre Jr.", "kellyoubre"),
            ("Wendell Carter Jr.", "wendellcarter"),
            ("Wendell Carter", "wendellcarter"),
            ("Robert Williams III", "robertwilliams"),
            ("Ronald Holland II", "ronaldholland"),
            ("Jaren Jackson Jr", "jarenjackson"),
            ("T.J. McConnell", "tjmcconnell"),
            ("Shai Gilgeous-Alexander", "shaigilgeousalexander"),
            ("De'Aaron Fox", "deaaronfox"),
            ("  D'Angelo   Russell ", "dangelorussell"),
            ("Nikola Đurišić", "nikoladurisic"),
            ("Jr", "jr"),
            ("", ""),
        ];
        for (name, want) in cases {
            assert_eq!(player_lookup(name), want, "{name}");
        }
    }

    #[test]
    fn aliases_map_book_spellings_to_nba_names() {
        let pairs = [
            ("Nicolas Claxton", "Nic Claxton"),
            ("Herb Jones", "Herbert Jones"),
            ("Moe Wagner", "Moritz Wagner"),
            ("Ron Holland", "Ronald Holland II"),
            ("Carlton Carrington", "Bub Carrington"),
            ("Vincent Williams Jr", "Vince Williams Jr."),
            ("Cam Johnson", "Cameron Johnson"),
            ("Joshua Giddey", "Josh Giddey"),
            ("Mohamed Bamba", "Mo Bamba"),
            ("J. Isaac", "Jonathan Isaac"),
            ("Wembanyama Victor", "Victor Wembanyama"),
        ];
        for (book, nba) in pairs {
            assert_eq!(player_lookup(book), player_lookup(nba), "{book} vs {nba}");
        }
    }

    #[test]
    fn alias_targets_are_fixed_points() {
        for (_, canonical) in ALIASES {
            assert!(ALIASES.iter().all(|(k, _)| k != canonical), "{canonical}");
            assert_eq!(player_lookup(canonical), *canonical);
        }
        for (k, _) in ALIASES {
            assert_eq!(normalize_name(k), *k, "alias keys are normalized: {k}");
        }
    }

    proptest! {
        #[test]
        fn idempotent_and_ascii_alnum(name in "\\PC{0,40}") {
            let once = player_lookup(&name);
            prop_assert!(once.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{once}");
            prop_assert_eq!(player_lookup(&once), once.clone());
        }

        #[test]
        fn accents_and_case_do_not_matter(first in "[A-Za-z]{1,10}", last in "[A-Za-z]{2,12}") {
            let plain = format!("{first} {last}");
            let shouted = plain.to_uppercase();
            let accented: String = plain.chars().map(|c| match c { 'c' => 'č', 'e' => 'é', 'o' => 'ö', x => x }).collect();
            prop_assert_eq!(player_lookup(&plain), player_lookup(&shouted));
            prop_assert_eq!(player_lookup(&plain), player_lookup(&accented));
        }
    }
}

#[cfg(test)]
mod real_tests {
    use super::*;
    use crate::sources::testdata::real_data_dir;
    use std::collections::HashSet;

    /// The values of column `name` in a comma-separated file without quoting.
    fn column(path: &std::path::Path, name: &str) -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let i = header.iter().position(|h| *h == name).unwrap();
        lines.filter_map(|l| l.split(',').nth(i).map(str::to_string)).collect()
    }

    /// Every sportsbook name in the real 2023-24 props resolves to a player in NBA.com's box
    /// scores: the alias table covers what the normal form cannot.
    #[test]
    fn real_prop_names_resolve_to_box_score_names() {
        let Some(dir) = real_data_dir() else { return };
        let nba: HashSet<String> = ["2023-24", "2024-25"]
            .iter()
            .flat_map(|s| {
                column(
                    &dir.join(format!("meharpalbasi__NBA_Lineup202324_Analyzer/player_game_logs_{s}.csv")),
                    "PLAYER_NAME",
                )
            })
            .map(|n| player_lookup(&n))
            .collect();
        let props_dir = dir.join("btam-ny__EV-Bets-NBA/prop_data_player_points");
        let mut names = HashSet::new();
        for f in std::fs::read_dir(&props_dir).unwrap() {
            names.extend(column(&f.unwrap().path(), "outcomes_description"));
        }
        assert!(names.len() > 300, "{}", names.len());
        let unresolved: Vec<_> = names.iter().filter(|n| !nba.contains(&player_lookup(n))).collect();
        assert!(unresolved.is_empty(), "{unresolved:?}");
    }
}
