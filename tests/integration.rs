//! Integration tests: the real `bidui` binary on real files in `testdata/`.

mod util;

mod check;
mod fill;
mod id;
mod import;
mod link;
mod load;
mod sample;
mod workbooks;
