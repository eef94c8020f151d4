using Lingua;

namespace Feedstand.Translation;

/// <summary>
/// Detects the language of an entry's text with Lingua, over the languages directory feeds are
/// written in, so that text already in the target language is not sent and a feed whose declared
/// language is wrong still gets the right source language. One detector per process, built on
/// first use (its models load lazily, in low-accuracy mode: trigrams only, enough for posts).
/// </summary>
public sealed class LanguageGuess
{
    /// <summary>Shortest text worth a guess; shorter text (a one-word title) says too little.</summary>
    public const int MinimumCharacters = 20;

    /// <summary>Text read for a guess: the start of a post says as much as all of it.</summary>
    public const int SampleCharacters = 1_000;

    private static readonly Language[] Candidates =
    [
        Language.English, Language.Chinese, Language.Japanese, Language.Korean, Language.German, Language.French,
        Language.Spanish, Language.Portuguese, Language.Italian, Language.Russian, Language.Dutch, Language.Polish,
        Language.Swedish, Language.Turkish, Language.Vietnamese, Language.Indonesian, Language.Ukrainian,
        Language.Czech, Language.Arabic, Language.Hebrew, Language.Persian, Language.Hindi, Language.Thai,
        Language.Danish, Language.Finnish, Language.Bokmal,
    ];

    private readonly Lazy<LanguageDetector> _detector = new(() =>
        LanguageDetectorBuilder.FromLanguages(Candidates).WithLowAccuracyMode().Build());

    /// <summary>The ISO 639-1 code of the text's language ("en", "zh"), or null when unsure or too short.</summary>
    public string? Detect(string? text)
    {
        if (text is null || text.Length < MinimumCharacters)
        {
            return null;
        }
        var sample = text.Length > SampleCharacters ? text[..SampleCharacters] : text;
        var language = _detector.Value.DetectLanguageOf(sample);
        return language == Language.Unknown ? null : LanguageInfo.IsoCode6391(language).ToString().ToLowerInvariant();
    }
}
