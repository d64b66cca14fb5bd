//! Between nobody else and the busy limit, a wide spread may be others'
//! doing: it is not called "varies".

use crate::noise::Noise;
use crate::rules::{Doubt, disturbance, disturbed_by_others, doubt};
use crate::rules_tests::{figure, quiet};
use crate::{Side, Unit};

/// Other programs kept `cores` busy for the second the figure took.
fn others(cores: f64) -> Noise {
    let mut noise = quiet();
    noise.after.busy_seconds += cores;
    noise
}

#[test]
fn a_wide_spread_while_others_were_a_little_busy_is_not_called_varies() {
    let wide = [100.0, 190.0, 101.0];
    let some = figure(Side::Thread, Unit::Nanoseconds, &wide, others(0.3));
    assert!((some.noise.others_cores_busy() - 0.3).abs() < 1e-9);
    let why = disturbance(&some).expect("a wide spread is marked");
    assert_eq!(
        why, "spread 1.90× with others at 0.3 cores",
        "under the busy limit, but above what the counters resolve"
    );
    assert!(matches!(doubt(&some), Some(Doubt::Busy { .. })));
    assert!(disturbed_by_others(&some));
    let nobody = figure(Side::Thread, Unit::Nanoseconds, &wide, others(0.05));
    assert_eq!(doubt(&nobody), Some(Doubt::Varies(1.9)));
    assert!(!disturbed_by_others(&nobody));
    let steady = figure(Side::Thread, Unit::Nanoseconds, &[100.0; 3], others(0.3));
    assert_eq!(
        doubt(&steady),
        None,
        "a steady figure under the limit is fine"
    );
}
