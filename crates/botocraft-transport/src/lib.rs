//! Sessions, signing and HTTP for botocraft. (Being filled in.)
