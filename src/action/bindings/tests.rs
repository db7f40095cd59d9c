//! Bindings tests: key names read and written alike, every default bound, `[keys]` replacing them.

use super::*;

fn setting(action: &str, keys: &[&str]) -> KeySetting {
    KeySetting {
        action: action.to_string(),
        at: (3, 1),
        keys: keys.iter().enumerate().map(|(i, k)| (k.to_string(), (3, 10 + i))).collect(),
    }
}

#[test]
fn key_names_read_and_written_alike() {
    for text in ["j", "J", "?", "Enter", "Esc", "Space", "↓", "Shift-↑", "PgDn", "Ctrl-f", "Alt-x", "F5", "Backspace"]
    {
        let key = Key::parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(key.to_string(), text);
        assert_eq!(Key::parse(&key.to_string()), Ok(key));
    }
    assert_eq!(Key::parse("ctrl-F").map(|k| k.to_string()), Ok("Ctrl-F".into()));
    assert_eq!(Key::parse("C-d"), Key::parse("Ctrl-d"));
    assert_eq!(Key::parse("Shift-j"), Key::parse("J"));
    assert_eq!(Key::parse("pagedown"), Key::parse("PgDn"));
    assert_eq!(Key::parse("Down"), Key::parse("↓"));
    for bad in ["", "Ctrl-", "Hyper-x", "F13", "jj", "Ctrl-c", "Ctrl-l", "\u{7}"] {
        assert!(Key::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn every_named_action_has_its_keys_and_a_variant() {
    let bindings = Bindings::default();
    for (index, named) in NAMED.iter().enumerate() {
        let action = action_named(named.name).unwrap_or_else(|| panic!("{}", named.name));
        assert!(!bindings.keys_of(index).is_empty(), "{}", named.name);
        for (place, keys) in [(Place::List, named.list), (Place::Reading, named.reading), (Place::Triage, named.triage)]
        {
            for key in keys.iter() {
                let key = Key::parse(key).unwrap();
                assert_eq!(bindings.action(place, key), Some(action.clone()), "{key} in {place:?}");
            }
        }
        // Names are the variant's, in snake_case.
        let variant = format!("{action:?}").split('(').next().unwrap_or_default().to_string();
        let snake: String = variant
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let lead = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                lead.into_iter().chain(std::iter::once(c.to_ascii_lowercase()))
            })
            .collect();
        assert!(named.name.starts_with(&snake), "{} for {variant}", named.name);
    }
    assert!(!bindings.changed());
}

#[test]
fn a_binding_replaces_the_actions_own_keys() {
    let (bindings, warnings) = Bindings::configured(&[setting("toggle_star", &["x", "*"])], "config.toml");
    assert!(warnings.is_empty(), "{warnings:?}");
    let key = |t: &str| Key::parse(t).unwrap();
    for place in [Place::List, Place::Reading] {
        assert_eq!(bindings.action(place, key("x")), Some(Action::ToggleStar));
        assert_eq!(bindings.action(place, key("*")), Some(Action::ToggleStar));
        assert_eq!(bindings.action(place, key("s")), None);
    }
    let index = NAMED.iter().position(|n| n.name == "toggle_star").unwrap();
    assert_eq!(bindings.keys_of(index).iter().map(Key::to_string).collect::<Vec<_>>(), ["*", "x"]);
    assert!(bindings.changed());
}

#[test]
fn a_key_taken_from_another_action_now_does_the_new_one() {
    let (bindings, _) = Bindings::configured(&[setting("toggle_read", &["j"])], "config.toml");
    assert_eq!(bindings.action(Place::List, Key::parse("j").unwrap()), Some(Action::ToggleRead));
    assert_eq!(bindings.action(Place::List, Key::parse("↓").unwrap()), Some(Action::Down));
    // A list-only action stays out of the open paper.
    let (bindings, _) = Bindings::configured(&[setting("quit", &["Q"])], "config.toml");
    assert_eq!(bindings.action(Place::List, Key::parse("Q").unwrap()), Some(Action::Quit));
    assert_eq!(bindings.action(Place::Reading, Key::parse("Q").unwrap()), None);
    assert_eq!(bindings.action(Place::List, Key::parse("q").unwrap()), None);
    assert_eq!(bindings.action(Place::Reading, Key::parse("q").unwrap()), Some(Action::Back));
}

#[test]
fn a_key_taken_from_another_action_is_told_and_an_action_left_without_keys_too() {
    let (bindings, warnings) = Bindings::configured(&[setting("toggle_star", &["q"])], "config.toml");
    assert_eq!(bindings.action(Place::List, Key::parse("q").unwrap()), Some(Action::ToggleStar));
    assert!(
        warnings.iter().any(|w| w.starts_with("config.toml:3:10: `q` was the key of `quit`, now of `toggle_star`")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("`quit` has no key left") && w.contains("Ctrl-C")), "{warnings:?}");
    // Two actions given one key: the second takes it from the first, which is left with none.
    let settings = [setting("toggle_star", &["j"]), setting("toggle_read", &["j"])];
    let (_, warnings) = Bindings::configured(&settings, "config.toml");
    assert!(warnings.iter().any(|w| w.contains("`j` was the key of `down`, now of `toggle_star`")), "{warnings:?}");
    assert!(
        warnings.iter().any(|w| w.contains("`j` was the key of `toggle_star`, now of `toggle_read`")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("`toggle_star` has no key left")), "{warnings:?}");
    // The palette named by the key it has, moved or not.
    let settings = [setting("command_palette", &["Ctrl-k"]), setting("toggle_star", &["q"])];
    let (_, warnings) = Bindings::configured(&settings, "config.toml");
    let quit = warnings.iter().find(|w| w.contains("`quit` has no key left")).expect("told");
    assert!(quit.contains("the palette (Ctrl-k)") && !quit.contains("Ctrl-p"), "{quit}");
    // An action given its own keys again, or new ones no action has, takes nothing.
    let (_, warnings) = Bindings::configured(&[setting("toggle_star", &["s", "x"])], "config.toml");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn what_cannot_be_bound_is_told_with_its_place_and_the_default_stays() {
    let settings = [setting("fly", &["x"]), setting("down", &["Hyper-x"]), setting("up", &["Ctrl-c", "w"])];
    let (bindings, warnings) = Bindings::configured(&settings, "config.toml");
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings[0].starts_with("config.toml:3:1: there is no action `fly`"), "{}", warnings[0]);
    assert!(warnings[1].starts_with("config.toml:3:10: `Hyper-x` is not a key"), "{}", warnings[1]);
    assert!(warnings[2].contains("its own keys are kept"), "{}", warnings[2]);
    assert!(warnings[3].starts_with("config.toml:3:10: `Ctrl-c`"), "{}", warnings[3]);
    assert_eq!(bindings.action(Place::List, Key::parse("j").unwrap()), Some(Action::Down));
    assert_eq!(bindings.action(Place::List, Key::parse("w").unwrap()), Some(Action::Up));
    assert_eq!(bindings.action(Place::List, Key::parse("k").unwrap()), None);
}

#[test]
fn hints_name_the_keys_as_bound() {
    let defaults = Bindings::default();
    assert_eq!(defaults.hint_key(Place::List, "open").as_deref(), Some("⏎"));
    assert_eq!(defaults.hint_key(Place::List, "toggle_star").as_deref(), Some("s"));
    // Esc is a cancel key: `q` is named for going back.
    assert_eq!(defaults.hint_key(Place::Reading, "back").as_deref(), Some("q"));
    assert_eq!(defaults.hint_key(Place::Reading, "scroll_detail_down").as_deref(), Some("j"));
    assert_eq!(defaults.hint_key(Place::Reading, "quit"), None);
    assert_eq!(defaults.hint_key(Place::List, "no_such_action"), None);
    let (bindings, _) = Bindings::configured(&[setting("toggle_star", &["x"])], "c.toml");
    assert_eq!(bindings.hint_key(Place::List, "toggle_star").as_deref(), Some("x"));
}
