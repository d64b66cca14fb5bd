//! A model's figures as the fresh process prints them, and read back:
//! one line per group, `name n1 n2 …`, `-` for a figure it could not read.

use std::collections::HashMap;
use std::time::Duration;

use support::kernel_memory::SlabFrom;

use crate::report::ModelFigures;

const SLABS: [SlabFrom; 3] = [
    SlabFrom::CgroupSlab,
    SlabFrom::CgroupKmem,
    SlabFrom::Meminfo,
];

fn maybe(number: Option<i64>) -> String {
    number.map_or("-".to_string(), |n| n.to_string())
}

pub fn to_lines(f: &ModelFigures) -> Vec<String> {
    let kernel = f.kernel_per_task.map_or([None; 3], |k| k.map(Some));
    let slab = f
        .slab_from
        .and_then(|from| SLABS.iter().position(|s| *s == from));
    let nofile = f
        .nofile_raised
        .map_or([None; 2], |(a, b)| [Some(a as i64), Some(b as i64)]);
    let (finished, threads) = (f.finished, f.threads);
    let mut lines = vec![
        format!(
            "counts {} {finished} {} {} {threads}",
            f.tasks, f.right_totals, f.totals
        ),
        format!(
            "nanos {} {} {}",
            f.create.as_nanos(),
            f.finish.as_nanos(),
            f.cpu.as_nanos()
        ),
        format!("switches {} {}", f.switches.0, f.switches.1),
        format!("user {}", maybe(f.user_per_task)),
        format!("kernel {}", kernel.map(maybe).join(" ")),
        format!(
            "slab {} {}",
            maybe(slab.map(|i| i as i64)),
            f.others_moved as u8
        ),
        format!("nofile {}", nofile.map(maybe).join(" ")),
    ];
    if let Some(limit) = &f.stopped_by {
        lines.push(format!("stopped {limit}"));
    }
    lines
}

pub fn from_lines(text: &str) -> Result<ModelFigures, String> {
    let lines: HashMap<&str, &str> = text
        .lines()
        .filter_map(|line| line.split_once(' '))
        .collect();
    let numbers = |name: &str| -> Vec<Option<i64>> {
        let words = lines.get(name).copied().unwrap_or("");
        words.split_whitespace().map(|w| w.parse().ok()).collect()
    };
    let missing = |name: &str| format!("the fresh process sent no {name:?} figures");
    let need = |name: &str, i: usize| -> Result<i64, String> {
        numbers(name)
            .get(i)
            .copied()
            .flatten()
            .ok_or_else(|| missing(name))
    };
    let nanos = |i| need("nanos", i).map(|n| Duration::from_nanos(n as u64));
    let kernel = numbers("kernel");
    let kernel = (kernel.len() == 3).then(|| Some([kernel[0]?, kernel[1]?, kernel[2]?]));
    let nofile = numbers("nofile");
    let nofile = (nofile.len() == 2).then(|| Some((nofile[0]? as u64, nofile[1]? as u64)));
    Ok(ModelFigures {
        tasks: need("counts", 0)? as usize,
        finished: need("counts", 1)? as usize,
        right_totals: need("counts", 2)? as u64,
        totals: need("counts", 3)? as u64,
        threads: need("counts", 4)? as usize,
        create: nanos(0)?,
        finish: nanos(1)?,
        cpu: nanos(2)?,
        switches: (need("switches", 0)?, need("switches", 1)?),
        user_per_task: numbers("user").first().copied().flatten(),
        kernel_per_task: kernel.flatten(),
        slab_from: numbers("slab")
            .first()
            .copied()
            .flatten()
            .map(|i| SLABS[i as usize % 3]),
        others_moved: numbers("slab").get(1).copied().flatten() != Some(0),
        nofile_raised: nofile.flatten(),
        stopped_by: lines.get("stopped").map(|text| text.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_survive_the_trip_with_and_without_unknowns() {
        let figures = ModelFigures {
            tasks: 10,
            stopped_by: Some("kernel.pid_max (32_768)".into()),
            finished: 9,
            right_totals: 9,
            totals: 10,
            create: Duration::from_micros(120),
            finish: Duration::from_millis(301),
            cpu: Duration::from_micros(900),
            switches: (40, 2),
            user_per_task: Some(-12),
            kernel_per_task: Some([16_384, 200, -8]),
            slab_from: Some(SlabFrom::CgroupKmem),
            others_moved: true,
            threads: 11,
            nofile_raised: Some((1_024, 4_096)),
        };
        let text = to_lines(&figures).join("\n");
        assert_eq!(from_lines(&text), Ok(figures.clone()));
        let unknown = ModelFigures {
            stopped_by: None,
            user_per_task: None,
            kernel_per_task: None,
            slab_from: None,
            others_moved: false,
            nofile_raised: None,
            ..figures
        };
        assert_eq!(from_lines(&to_lines(&unknown).join("\n")), Ok(unknown));
        assert!(from_lines("counts 1 2").is_err());
    }
}
