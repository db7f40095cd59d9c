use super::*;
use crate::digest::{Source, open};

#[test]
fn blocks_parsed_on_two_threads_give_what_one_thread_gives() {
    // Papers, their lines, warnings (more than are shown) and the date, from a digest of many blocks,
    // parsed with blocks detached to the helper thread and parsed all on one thread.
    let mut text = String::from("Get trending papers in your email inbox!\n\nMar 14\n\n");
    let sentence = "We measure what a reader of this digest does every morning, and how fast. ";
    for i in 0..25_000 {
        let abstract_text = sentence.repeat(1 + i % 5);
        match i % 1000 {
            // Invalid UTF-8, once a block or so.
            3 => text.push_str(&format!("Paper {i} in Latin-1: caf\u{fffd}\n\n{abstract_text}\n\n")),
            // A title followed by a title: no abstract.
            4 => text.push_str(&format!("Paper {i} alone\n\n")),
            _ => text.push_str(&format!("Paper {i}: a title\n\n{abstract_text}\n\n")),
        }
    }
    let mut bytes = text.into_bytes();
    while let Some(at) = bytes.windows(3).position(|w| w == "\u{fffd}".as_bytes()) {
        bytes.splice(at..at + 3, [0xe9]);
    }
    assert!(bytes.len() > 5 * text::BLOCK);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.txt");
    std::fs::write(&path, &bytes).unwrap();
    let read = |detach: bool| {
        let mut opened = open(&Source::File(path.clone())).unwrap();
        opened.detach = detach;
        let mut papers: Vec<(String, String, usize)> = Vec::new();
        let mut add = |chunk: &Chunk| {
            papers.extend(chunk.papers().map(|p| (p.title().to_string(), p.abstract_text().to_string(), p.line())));
        };
        opened.chunks.iter().for_each(&mut add);
        let mut warnings = std::mem::take(&mut opened.warnings);
        loop {
            match opened.read_on().unwrap() {
                Step::Chunk(chunk) => add(&chunk),
                Step::Reading => {}
                Step::Done(last, more) => {
                    last.iter().for_each(&mut add);
                    warnings.extend(more);
                    return (
                        papers,
                        warnings,
                        opened.date.clone(),
                        opened.bytes_read(),
                        matches!(opened.helper, Helping::Running(_)),
                    );
                }
            }
        }
    };
    let (two, one) = (read(true), read(false));
    assert_eq!(two.0.len(), 25_000);
    assert!(two.0.iter().all(|(title, abstract_text, _)| abstract_text.is_empty() == title.ends_with("alone")));
    assert!(two.1.len() > 5 && two.1.last().is_some_and(|w| w.ends_with("more warnings like these")), "{:?}", two.1);
    assert_eq!(two.2.as_deref(), Some("Mar 14"));
    assert_eq!(two.3, bytes.len() as u64);
    // The helper was there to parse on (the machine having more than one core).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!((two.4, one.4), (cores > 1, false));
    assert_eq!(two.0, one.0);
    assert_eq!(two.1, one.1);
    assert_eq!(two.2, one.2);
    assert_eq!(two.3, one.3);
}

#[test]
fn papers_read_from_a_pipe_are_handed_out_while_it_stays_open() {
    // A pipe that gives 6 MB of papers, then stays open with nothing more: the papers of the blocks
    // read whole come out, though the next block never fills.
    struct Pipe(mpsc::Receiver<Vec<u8>>, Vec<u8>);
    impl std::io::Read for Pipe {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            while self.1.is_empty() {
                match self.0.recv() {
                    Ok(bytes) => self.1 = bytes,
                    Err(mpsc::RecvError) => return Ok(0),
                }
            }
            let n = buf.len().min(self.1.len());
            buf[..n].copy_from_slice(&self.1[..n]);
            self.1.drain(..n);
            Ok(n)
        }
    }
    let sentence = "We measure what a reader of this digest does every morning, and how fast. ";
    let mut text = String::new();
    let mut papers = 0;
    let mut within_4mb = 0;
    while text.len() < 6 * text::BLOCK {
        text.push_str(&format!("Paper {papers}: a title\n\n{}\n\n", sentence.repeat(1 + papers % 5)));
        papers += 1;
        if text.len() < 4 * text::BLOCK {
            within_4mb = papers;
        }
    }
    let (send, pipe) = mpsc::channel();
    for piece in text.as_bytes().chunks(64 * 1024) {
        send.send(piece.to_vec()).unwrap();
    }
    let (counts, counted) = mpsc::channel();
    std::thread::spawn(move || {
        let mut opened = open_reader("pipe".into(), Box::new(Pipe(pipe, Vec::new())), None, None).unwrap();
        let mut seen: usize = opened.chunks.iter().map(Chunk::len).sum();
        counts.send(seen).ok();
        loop {
            match opened.read_on() {
                Ok(Step::Chunk(chunk)) => seen += chunk.len(),
                Ok(Step::Reading) => {}
                _ => return,
            }
            if counts.send(seen).is_err() {
                return;
            }
        }
    });
    let mut seen = 0;
    while seen < within_4mb {
        match counted.recv_timeout(std::time::Duration::from_secs(20)) {
            Ok(n) => seen = n,
            Err(_) => panic!("{seen} papers handed out of the {within_4mb} in the first 4 MB, then none"),
        }
    }
    drop(send);
}
