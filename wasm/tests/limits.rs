//! `wasm/src/limits.rs` on the host.
use posfee::{Channel, ChannelLimits, Money};
use posfee_wasm::limits::*;

#[test]
fn presets_hours_and_groups_reach_the_core() {
    let input = LimitsInput {
        preset: Some("personal-static-code".into()),
        business_hours: Some("08:00-22:00".into()),
        limits: vec![ChannelLimits::new([Channel::Credit]).per_transaction(Money::from_yuan(20_000))],
    };
    let limits = input.to_core().unwrap();
    assert_eq!(limits.channel_limits.len(), 2);
    assert_eq!(limits.business_hours.unwrap().to_string(), "08:00–22:00");
}

#[test]
fn errors_are_placed_under_limits() {
    let field = |input: LimitsInput| {
        let error = input.to_core().unwrap_err();
        (error.code(), error.location().field.clone().unwrap_or_default())
    };
    assert_eq!(field(LimitsInput { preset: Some("vip".into()), ..Default::default() }), ("unknown_preset", "limits.preset".into()));
    assert_eq!(
        field(LimitsInput { business_hours: Some("all day".into()), ..Default::default() }),
        ("invalid_request", "limits.business_hours".into())
    );
    let zero = LimitsInput { limits: vec![ChannelLimits::new([]).per_day(Money::ZERO)], ..Default::default() };
    assert_eq!(field(zero), ("invalid_request", "limits.limits[0].per_day".into()));
}
