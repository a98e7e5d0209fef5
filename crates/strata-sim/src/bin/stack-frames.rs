//! Stack frames of the on-chain code, read from the `.stack_sizes` sections that
//! `rustc -Z emit-stack-sizes` writes into object files (`scripts/stack-frames.sh`
//! builds them). SBF limits every frame to 4 KiB; x86_64 frames of the same code are a
//! proxy (same pointer width, no SIMD spills on SBF, so SBF frames are usually no
//! larger), measured with LTO off: functions the release build would merge are kept
//! apart with `#[inline(never)]` where it matters, so their callers' frames are the
//! ones measured here.
//!
//! ```sh
//! stack-frames [--top N] [--limit BYTES] OBJECT...
//! ```
//! Prints the N largest frames (default 20) and exits 1 when any exceeds the limit.

use std::collections::HashMap;
use std::process::ExitCode;

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionIndex, SymbolKind};

type BoxError = Box<dyn std::error::Error>;

/// One function's frame.
struct Frame {
    bytes: u64,
    name: String,
    object: String,
}

fn read_uleb128(bytes: &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Every frame an object file records. In a relocatable object each `.stack_sizes`
/// entry is an 8-byte function address (a relocation against the function's symbol or
/// its section's) followed by the frame size as ULEB128.
fn frames(path: &str) -> Result<Vec<Frame>, BoxError> {
    let data = std::fs::read(path)?;
    let file = object::File::parse(&*data)?;
    let mut functions: HashMap<(SectionIndex, u64), String> = HashMap::new();
    for symbol in file.symbols().filter(|s| s.kind() == SymbolKind::Text) {
        if let (Some(section), Ok(name)) = (symbol.section_index(), symbol.name()) {
            functions.insert((section, symbol.address()), name.to_string());
        }
    }
    let mut out = Vec::new();
    for section in file.sections().filter(|s| s.name() == Ok(".stack_sizes")) {
        let contents = section.data()?;
        for (offset, relocation) in section.relocations() {
            let RelocationTarget::Symbol(index) = relocation.target() else { continue };
            let symbol = file.symbol_by_index(index)?;
            let Some(text) = symbol.section_index() else { continue };
            let address = symbol.address().wrapping_add(relocation.addend() as u64);
            let name = match symbol.kind() {
                SymbolKind::Text => symbol.name()?.to_string(),
                _ => functions.get(&(text, address)).cloned().unwrap_or_else(|| format!("<{text:?}+{address:#x}>")),
            };
            let size_at = usize::try_from(offset)? + 8;
            let bytes = contents.get(size_at..).and_then(read_uleb128).ok_or("truncated .stack_sizes entry")?;
            out.push(Frame { bytes, name: format!("{:#}", rustc_demangle::demangle(&name)), object: path.to_string() });
        }
    }
    Ok(out)
}

fn main() -> Result<ExitCode, BoxError> {
    let mut top = 20usize;
    let mut limit: Option<u64> = None;
    let mut objects = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--top" => top = args.next().ok_or("--top needs a number")?.parse()?,
            "--limit" => limit = Some(args.next().ok_or("--limit needs a number")?.parse()?),
            "-h" | "--help" => {
                println!("usage: stack-frames [--top N] [--limit BYTES] OBJECT...");
                return Ok(ExitCode::SUCCESS);
            }
            _ => objects.push(arg),
        }
    }
    if objects.is_empty() {
        return Err("no object files given (usage: stack-frames [--top N] [--limit BYTES] OBJECT...)".into());
    }
    let mut all = Vec::new();
    for path in &objects {
        let found = frames(path)?;
        if found.is_empty() {
            return Err(format!("{path}: no .stack_sizes entries (built without -Z emit-stack-sizes?)").into());
        }
        all.extend(found);
    }
    all.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    let over: Vec<&Frame> = limit.map(|l| all.iter().filter(|f| f.bytes > l).collect()).unwrap_or_default();
    println!("{} functions; largest frames (x86_64, a proxy for SBF's; bytes):", all.len());
    for frame in all.iter().take(top) {
        let crate_name = std::path::Path::new(&frame.object)
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('-').next())
            .unwrap_or("?");
        println!("{:>7}  {:<12} {}", frame.bytes, crate_name, frame.name);
    }
    if let Some(limit) = limit {
        if !over.is_empty() {
            eprintln!("stack-frames: {} frame(s) exceed {limit} bytes:", over.len());
            for frame in over {
                eprintln!("  {} {}", frame.bytes, frame.name);
            }
            return Ok(ExitCode::FAILURE);
        }
        println!("every frame is within {limit} bytes");
    }
    Ok(ExitCode::SUCCESS)
}
