"""SI Joint Coach: screening, assessment and exercise plans for sacroiliac joint dysfunction.

Not a diagnosis and not a replacement for a professional.
"""

__version__ = "0.1.0"
