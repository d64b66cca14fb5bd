use super::*;

fn machine() -> Limits {
    Limits {
        nproc: (u64::MAX, u64::MAX),
        nofile: (1_024, 20_000),
        pid_max: Some(32_768),
        threads_max: Some(1_000),
        max_map_count: Some(65_530),
        cgroup_pids: Some((10_000, 100)),
        epoll_max_user_watches: Some(500),
        tasks_now: Some(900),
        root: false,
    }
}

#[test]
fn the_tightest_limit_depends_on_the_model() {
    let limits = machine();
    let room = |model| limits.tightest(model).unwrap();
    assert_eq!(
        room(Model::Threads),
        (100, "kernel.threads-max".to_string())
    );
    assert_eq!(
        room(Model::Processes),
        (100, "kernel.threads-max".to_string())
    );
    assert_eq!(
        room(Model::Epoll),
        (500, "fs.epoll.max_user_watches".to_string())
    );
    assert_eq!(limits.descriptor_room(), 20_000 - SPARE_DESCRIPTORS);
    // the cgroup's own count, not the machine's threads, sets its room
    let crowded = Limits {
        cgroup_pids: Some((1_000, 990)),
        ..machine()
    };
    let room = crowded.tightest(Model::Processes).unwrap();
    assert_eq!(room, (10, "the cgroup's pids.max".to_string()));
    let nproc = Limits {
        nproc: (50, 50),
        ..machine()
    };
    assert_eq!(
        nproc.tightest(Model::Threads).unwrap(),
        (50, "RLIMIT_NPROC".into())
    );
    let root = Limits {
        root: true,
        ..nproc
    };
    assert_eq!(
        root.tightest(Model::Threads).unwrap().0,
        100,
        "root ignores NPROC"
    );
}

#[test]
fn the_limit_behind_an_error_is_named() {
    assert!(stopped_by(Errno::EMFILE).starts_with("RLIMIT_NOFILE ("));
    assert!(stopped_by(Errno::ENOSPC).starts_with("fs.epoll.max_user_watches"));
    assert!(stopped_by(Errno::EINVAL).contains("no limit read here explains it"));
}
