"""What the law says, in words a worker understands, each fact tied to its statute and article."""
