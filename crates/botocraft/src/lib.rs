//! botocraft facade. (Being filled in.)
