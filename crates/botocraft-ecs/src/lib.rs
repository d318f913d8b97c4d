//! botocraft models for Amazon ECS. (Being generated.)
