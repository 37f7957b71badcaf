//! Synthetic player names that exercise name normalisation.
//!
//! The pipeline joins sportsbook names to box-score names by `player_lookup`, so the league
//! deliberately carries accents (Dončić-style), apostrophes, hyphens and generational suffixes
//! ("Jr.", "III"); one book prints names without accents, as some real books do.

use std::collections::HashSet;

use rand::Rng;

use super::rng::SimRng;

const FIRST: &[&str] = &[
    "Jalen", "Marcus", "Tyrese", "Darius", "Caleb", "Isaiah", "Jordan", "Andre", "Malik", "Devin", "Trey", "Cameron",
    "Miles", "Dante", "Keegan", "Austin", "Jaden", "Josh", "Kevin", "Anthony", "Brandon", "Chris", "Derrick", "Eric",
    "Gabe", "Harrison", "Ivan", "Jamal", "Kyle", "Luka", "Nikola", "Bogdan", "Dāvis", "Théo", "Rudy", "Álvaro",
    "Dennis", "Jonas", "Goga", "Šimon", "Moe", "Nic", "Herb", "Bub", "Ron", "Cole", "Drew", "Quentin", "Reggie",
    "Terrence", "Victor", "Zach", "Walker", "Xavier", "Yves", "Omar", "Pascal", "Franz", "Lauri", "Kristóf",
];

const LAST: &[&str] = &[
    "Williams",
    "Johnson",
    "Brown",
    "Jones",
    "Davis",
    "Miller",
    "Wilson",
    "Moore",
    "Taylor",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Martin",
    "Thompson",
    "Robinson",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Allen",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Reed",
    "Dončić",
    "Jokanović",
    "Vučević",
    "Bogdanović",
    "Šarić",
    "Nurkić",
    "Valančiūnas",
    "Porziņģis",
    "Şengün",
    "Müller",
    "Hernández",
    "Peña",
    "Ibáñez",
    "Lopés",
    "O'Neale",
    "Gilgeous-Alexander",
    "Mbappé",
    "Nwosu",
    "Okafor",
    "Diallo",
    "Sissoko",
    "Ntilikina",
    "Kuminga",
    "Fontecchio",
];

const SUFFIX: &[&str] = &["Jr.", "Jr.", "II", "III", "IV", "Sr."];

/// A player's name as the league prints it and as an accent-stripping book prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerName {
    pub first: String,
    /// Last name including any suffix ("Porter Jr."), as the NBA feeds split it.
    pub last: String,
}

impl PlayerName {
    pub fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    /// "J. Brunson", the play-by-play initial form.
    pub fn initial(&self) -> String {
        let first: String = self.first.chars().take(1).collect();
        format!("{first}. {}", self.last)
    }

    pub fn ascii(&self) -> String {
        fold_ascii(&self.full())
    }
}

/// Draws `n` distinct names.
pub fn draw_names(rng: &mut SimRng, n: usize) -> Vec<PlayerName> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let first = FIRST[rng.random_range(0..FIRST.len())];
        let mut last = LAST[rng.random_range(0..LAST.len())].to_string();
        if rng.random::<f64>() < 0.07 {
            last = format!("{last} {}", SUFFIX[rng.random_range(0..SUFFIX.len())]);
        }
        let name = PlayerName { first: first.to_string(), last };
        if seen.insert(name.full()) {
            out.push(name);
        }
    }
    out
}

/// Drops the diacritics used in the tables above (the set is closed, so a table suffices).
pub fn fold_ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'ā' => 'a',
            'Á' => 'A',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ū' => 'u',
            'ü' => 'u',
            'ñ' => 'n',
            'ņ' => 'n',
            'ģ' => 'g',
            'č' | 'ć' => 'c',
            'š' => 's',
            'Š' => 'S',
            'ş' => 's',
            'Ş' => 'S',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::stream;

    #[test]
    fn names_are_unique_and_fold() {
        let names = draw_names(&mut stream(3, "names", 0), 450);
        let set: HashSet<String> = names.iter().map(PlayerName::full).collect();
        assert_eq!(set.len(), 450);
        assert_eq!(fold_ascii("Luka Dončić"), "Luka Doncic");
        assert_eq!(fold_ascii("Alperen Şengün"), "Alperen Sengun");
        for n in &names {
            assert!(n.ascii().is_ascii(), "{}", n.ascii());
        }
    }
}
