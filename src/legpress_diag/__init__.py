"""legpress-diag: why the leg press hurts your lower back, and what to do about it.

The package is a pipeline of layers, each importing only the ones below it:
``knowledge`` (rule files → ``loader`` → compiled ``rulebase``) → ``reasoning``
(``engine`` → ``diagnosis``) → ``intake`` (records, the questionnaire's state,
batches) → ``presentation`` (renderers). ``authoring``, ``web`` and the command line
(``cli``) sit on top, a thin shell over all of them. Programs use ``api``.
"""

__version__ = "0.1.0"
