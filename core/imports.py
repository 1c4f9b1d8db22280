"""What every importer shares: the error that refuses a file before anything is written."""


class ImportFailure(Exception):
    """The file cannot be imported; the message names the file, the line or record, the problem."""

    def __init__(self, file: str, where: str | None, problem: str) -> None:
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")
